#!/usr/bin/env bash
# Regenerates the bundled sample audio (samples/) from text with espeak-ng, so the repo carries
# no recorded or dataset audio. Needs Debian's espeak-ng, sox and opus-tools.
set -euo pipefail
cd "$(dirname "$0")/../samples"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# A plain statement, as a 22.05 kHz WAV (not 16 kHz: the resampler is part of the demo).
espeak-ng -v en-us -s 150 -p 45 -w calm-statement.wav "The meeting moved to Thursday. I will send the notes after lunch."

# An excited voice note, encoded like Discord's: mono 48 kHz Opus in Ogg at 32 kb/s.
espeak-ng -v en-us+f3 -s 210 -p 85 -a 180 -w "$tmp/excited.wav" "Oh wow! We actually won the whole tournament! I can't believe it!"
sox "$tmp/excited.wav" -r 48000 "$tmp/excited48.wav"
opusenc --quiet --bitrate 32 "$tmp/excited48.wav" excited-voice-note.ogg

# A longer note with pauses, to show the per-utterance timeline.
parts=()
i=0
for line in "Hi, it's me again." "So the train was late, and then it just stopped in the tunnel for forty minutes." \
            "Nobody told us anything." "Honestly I am so tired of this." "Anyway. I'm home now, and dinner smells great." \
            "See you tomorrow!"; do
  espeak-ng -v en-us -s 160 -p 50 -w "$tmp/p$i.wav" "$line"
  sox "$tmp/p$i.wav" -r 48000 "$tmp/q$i.wav" pad 0 1.2
  parts+=("$tmp/q$i.wav"); i=$((i+1))
done
sox "${parts[@]}" "$tmp/long.wav"
opusenc --quiet --bitrate 32 "$tmp/long.wav" long-voice-note.ogg
ls -l
