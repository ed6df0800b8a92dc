// Reads a busy voice socket in batches: one event-loop wake-up per few milliseconds instead of one per datagram.
import type { Socket } from 'node:dgram';

/**
 * How long the socket rests after a read. Discord clients send a packet per speaker every 20 ms, and at idle
 * they wake the event loop a few at a time (bench:voice, 50 speakers, strace at load ~4: ~350 epoll waits a second
 * for ~1,350 datagrams; each a syscall, a context switch and Node's callback machinery around a few microseconds
 * of work). Resting a few ms lets the kernel queue them; they are then read in one go. Nothing in /listen needs
 * the ms back: utterances end after 800 ms of silence (checked after a read: SocketReader.afterRead), the
 * speaking map after 100 ms.
 */
export const REST_MS = 10;

/** The dgram socket's libuv handle (Node's `kStateSymbol` state): recvStart/recvStop are not public API. */
interface UdpHandle {
  recvStart(): number;
  recvStop(): number;
}

/**
 * The receive buffer asked for: the kernel queues datagrams here while the socket rests, and while the main thread
 * waits for a core on a busy machine. Linux grants up to twice net.core.rmem_max (default 212,992, so ~416 KB
 * there, 2 MB where rmem_max is 4 MB) against a default of 212,992: at 99 speakers (~5,000 datagrams a second
 * of ~1 KB kernel footprint each) that is 80-400 ms of traffic instead of ~40.
 */
export const RECEIVE_BUFFER_BYTES = 1024 * 1024;

/** libuv reads at most this many datagrams per readable event (uv__udp_recvmsg). */
const LIBUV_READ_CAP = 32;

function handleOf(socket: Socket): UdpHandle | null {
  const key = Object.getOwnPropertySymbols(socket).find((s) => s.description === 'state symbol');
  const handle = key && (socket as unknown as Record<symbol, { handle?: Partial<UdpHandle> } | undefined>)[key]?.handle;
  return handle && typeof handle.recvStart === 'function' && typeof handle.recvStop === 'function' ? (handle as UdpHandle) : null;
}

/** What restBetweenReads gives the socket's receive path. */
export interface SocketReader {
  /** To be called for every datagram the socket emits. */
  onDatagram(): void;
  /**
   * Calls `cb` once the socket has been read after now (at once after this loop turn's poll phase, or after the
   * rest): what was queued by now has then been delivered. Timers run before I/O, so a timer that finds "no packet
   * for a while" may be looking at packets still waiting in the socket; it asks here before acting on it.
   */
  afterRead(cb: () => void): void;
}

/**
 * After a datagram wakes the loop, everything the kernel has queued is read in the same poll phase (libuv reads
 * until the socket is empty, up to 32 datagrams), then reading stops for `restMs` and starts again: when traffic
 * flows, one wake-up per rest instead of one per datagram; when it stops, reading simply stays on (no timer runs
 * on a quiet socket). Returns the socket's SocketReader; null when this Node's dgram does not expose its handle as
 * expected (the socket is then read one datagram at a time).
 *
 * The kernel keeps what arrives meanwhile (a 10-ms rest at 99 speakers is ~50 datagrams, a fraction of the default
 * receive buffer), so nothing is lost and the order is kept.
 */
export function restBetweenReads(socket: Socket, restMs = REST_MS): SocketReader | null {
  const handle = handleOf(socket);
  if (!handle) return null;
  widenReceiveBuffer(socket);
  let closed = false;
  let resting = false;
  let stopping = false;
  let read = 0;
  const waiting: (() => void)[] = [];
  let flushing = false;
  const flush = (): void => {
    flushing = false;
    for (const cb of waiting.splice(0)) cb();
  };
  // Runs the waiting callbacks at the check phase, after this loop turn's poll phase (which reads the socket).
  const flushAfterPoll = (): void => {
    if (flushing || waiting.length === 0) return;
    flushing = true;
    setImmediate(flush);
  };
  const start = (): void => {
    resting = false;
    if (closed) return;
    handle.recvStart();
    flushAfterPoll();
  };
  // One timer for the socket's life, re-armed at each rest (refresh() re-arms a timer that has fired).
  let wake: NodeJS.Timeout | null = null;
  // After the poll phase has read what was queued (check phase, same loop turn): rest, unless libuv stopped at
  // its 32-datagram cap with more waiting (then read on, so a backlog can never build up).
  const stop = (): void => {
    if (closed) return;
    if (read >= LIBUV_READ_CAP) {
      read = 0;
      setImmediate(stop);
      return;
    }
    stopping = false;
    handle.recvStop();
    resting = true;
    if (wake) wake.refresh();
    else wake = setTimeout(start, restMs);
  };
  socket.once('close', () => {
    closed = true;
    if (wake) clearTimeout(wake);
    flushAfterPoll();
  });
  return {
    onDatagram(): void {
      read++;
      if (stopping || resting || closed) return;
      stopping = true;
      read = 1;
      setImmediate(stop);
    },
    afterRead(cb: () => void): void {
      waiting.push(cb);
      if (!resting || closed) flushAfterPoll();
    },
  };
}

/** Asks for RECEIVE_BUFFER_BYTES once the socket is bound (the library binds it implicitly at its first send). */
function widenReceiveBuffer(socket: Socket): void {
  const widen = (): void => {
    try {
      if (socket.getRecvBufferSize() < RECEIVE_BUFFER_BYTES) socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
    } catch {
      // closed meanwhile, or refused: the default buffer still works
    }
  };
  try {
    socket.address(); // throws until the socket is bound
  } catch {
    socket.once('listening', widen);
    return;
  }
  widen();
}
