/**
 * The /feed WebSocket: subscribes to a key prefix on every (re)connect, and reconnects after a
 * close with jittered exponential backoff (0.5 s doubling up to 10 s, reset once connected).
 *
 * on (all called on the page's own event loop):
 *   link(open, subscribed)  the connection or its subscription changed
 *   note(text)              a line about the connection for the user
 *   subscribed(msg)         the server confirmed a subscription
 *   message(msg)            any other frame (update, conflict, error), parsed
 *   error(text)             an unreadable frame, or a frame that could not be sent or handled
 */
import { errMessage } from './format.js';
import { token, unauthorized } from './auth.js';

const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 10000;
// If the server never echoes "subscribed", still report readiness after a moment.
const SUBSCRIBED_FALLBACK_MS = 1500;
const COUNTDOWN_TICK_MS = 250;

/** Opens the connection at once; returns it. */
export function connectFeed(url, prefix, on) {
  const conn = new FeedConnection(url, prefix, on);
  conn.connect();
  return conn;
}

class FeedConnection {
  constructor(url, prefix, on) {
    this.url = url;
    this.currentPrefix = prefix;
    this.on = on;
    this.ws = null;
    this.open = false;
    this.subscribed = false;
    this.backoffMs = MIN_BACKOFF_MS;
    this.reconnectTimer = null;
    this.reconnectAt = 0;
    this.fallbackTimer = null;
    // A token was just entered: a feed refused for the lack of one connects again now.
    window.addEventListener('ringkv:token', () => { if (!this.ws) this.connect(); });
  }

  prefix() { return this.currentPrefix; }

  /** Moves the subscription to another prefix; true when it was sent (else it applies on connect). */
  setPrefix(next) {
    const prev = this.currentPrefix;
    this.currentPrefix = next;
    if (!this.open) return false;
    this.send({ type: 'unsubscribe', prefix: prev });
    this.send({ type: 'subscribe', prefix: next });
    return true;
  }

  connect() {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    let sock;
    try {
      sock = new WebSocket(this.url);
    } catch (e) {
      this.on.note('cannot open the feed: ' + errMessage(e));
      this.scheduleReconnect();
      return;
    }
    this.ws = sock;
    this.on.note('connecting to ' + this.url + ' …');
    sock.onopen = () => { if (this.ws === sock) this.opened(sock); };
    sock.onmessage = ev => { if (this.ws === sock) this.receive(ev.data); };
    sock.onerror = () => { /* a close event follows; nothing to do here */ };
    sock.onclose = ev => {
      if (this.ws !== sock) return;
      this.ws = null;
      this.setLink(false, false);
      if (ev && ev.code === 1008) unauthorized('the live feed refused the token');
      this.scheduleReconnect(ev && ev.code ? ' (code ' + ev.code + ')' : '');
    };
  }

  opened(sock) {
    this.backoffMs = MIN_BACKOFF_MS;
    this.setLink(true, false);
    this.on.note('connected, subscribing…');
    // A browser cannot set headers on a WebSocket: the token goes first, as a message.
    if (token()) this.send({ op: 'auth', token: token() });
    this.send({ type: 'subscribe', prefix: this.currentPrefix });
    clearTimeout(this.fallbackTimer);
    this.fallbackTimer = setTimeout(() => {
      if (this.ws === sock && this.open && !this.subscribed) this.setLink(true, true);
    }, SUBSCRIBED_FALLBACK_MS);
  }

  receive(data) {
    let msg;
    try { msg = JSON.parse(typeof data === 'string' ? data : ''); } catch (e) {
      this.on.error('unreadable frame from the server');
      return;
    }
    if (!msg || typeof msg !== 'object') return;
    try {
      if (msg.type === 'subscribed') {
        this.subscribed = true;
        this.on.subscribed(msg);
        this.on.link(this.open, this.subscribed);
      } else {
        this.on.message(msg);
      }
    } catch (e) {
      this.on.error('could not handle a frame: ' + errMessage(e));
    }
  }

  setLink(open, subscribed) {
    this.open = open;
    this.subscribed = subscribed;
    this.on.link(open, subscribed);
  }

  /** Waits, then connects again; meanwhile counts down in the note. */
  scheduleReconnect(why) {
    if (this.reconnectTimer) return;
    const delay = Math.min(this.backoffMs, MAX_BACKOFF_MS) * (0.8 + Math.random() * 0.4);
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    // Shared with countdowns still running from an earlier close, so all show the same deadline.
    this.reconnectAt = Date.now() + delay;
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
    const tick = () => {
      if (!this.reconnectTimer) return;
      const left = Math.max(0, this.reconnectAt - Date.now());
      this.on.note('feed closed' + (why || '') + ' · reconnecting in ' + Math.ceil(left / 1000) + ' s');
      if (left > 0) setTimeout(tick, COUNTDOWN_TICK_MS);
    };
    tick();
  }

  send(obj) {
    if (!this.ws || !this.open) return false;
    try { this.ws.send(JSON.stringify(obj)); return true; } catch (e) {
      this.on.error('could not send to the feed: ' + errMessage(e));
      return false;
    }
  }
}
