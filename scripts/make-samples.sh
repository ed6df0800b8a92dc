#!/usr/bin/env bash
# Rebuilds the bundled sample audio (samples/) from a few real human clips of the shared datasets,
# under licences that allow redistribution with credit (samples/README.md): CREMA-D (ODbL 1.0 /
# DbCL 1.0) and LibriSpeech (CC BY 4.0). RAVDESS (non-commercial) is deliberately not used.
# Needs Debian's ffmpeg, sox and opus-tools, and ../shared/datasets beside the repository.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
data="${DATASETS:-$here/../shared/datasets}"
cd "$here/samples"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# Voice-note style: mono 48 kHz Opus in Ogg at 32 kb/s, as Discord sends them.
note() { sox "$1" -r 48000 "$tmp/n48.wav"; opusenc --quiet --bitrate 32 "$tmp/n48.wav" "$2"; }

# Acted emotion (CREMA-D), chosen among clips most of whose listeners heard the intended emotion.
ffmpeg -loglevel error -y -i "$data/crema-d/1061/1061_MTI_ANG_XX.flac" -ac 1 -ar 16000 -c:a pcm_s16le angry-actor.wav
ffmpeg -loglevel error -y -i "$data/crema-d/1028/1028_MTI_SAD_XX.flac" "$tmp/sad.wav" && note "$tmp/sad.wav" sad-actor.ogg
ffmpeg -loglevel error -y -i "$data/crema-d/1078/1078_TAI_HAP_XX.flac" "$tmp/happy.wav" && note "$tmp/happy.wav" happy-actor.ogg

# Ordinary speech (LibriSpeech): a reader, and a longer note of three utterances with pauses (the timeline).
ffmpeg -loglevel error -y -i "$data/librispeech-mini/19/19-198-0000.flac" "$tmp/read.wav" && note "$tmp/read.wav" read-aloud.ogg
parts=()
for u in 0001 0002 0003; do
  ffmpeg -loglevel error -y -i "$data/librispeech-mini/6848/"*"-$u.flac" "$tmp/u$u.wav"
  sox "$tmp/u$u.wav" "$tmp/p$u.wav" pad 0 1.2
  parts+=("$tmp/p$u.wav")
done
sox "${parts[@]}" "$tmp/long.wav" && note "$tmp/long.wav" long-voice-note.ogg
ls -l
