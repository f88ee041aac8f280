/**
 * The page's shared state and a small publish/subscribe bus. Views never call each other: they
 * read `state`, subscribe to topics with on(), and announce what happened with emit().
 *
 * Topics and their payloads:
 *   cluster           a /cluster poll finished, well or not ({colorsChanged})
 *   ring              the ring's owners and moving partitions were loaded, or failed to load
 *   focus-key         key: the key of interest changed; its preference list follows (cluster-sync.js)
 *   pref              the preference list (state.pref / state.prefError) changed
 *   use-key           key: put this key into the request form
 *   request:sent      {method}: the form sent a request
 *   request:answered  {method, key, res}: its answer (only the newest request's)
 *   request:rejected  message: the form did not send anything
 *   context:read      {key, context}: a read returned this X-Context for the key
 *   context:use       {key, context}: the user picked this context for the next write
 *   conflict          {key, context, siblings, coordinator, source}: siblings to resolve
 *   feed-event        {type, key, context, siblings, coordinator, at}: an event from the live feed
 *   feed              the feed connection changed (state.feedOpen, state.feedSubscribed)
 */

/** onListenerError(topic, error) hears what a listener threw; the other listeners still run. */
export function createStore(onListenerError) {
  const state = {
    cluster: null,          // last good /cluster answer
    clusterOk: false,       // last poll succeeded
    clusterError: null,
    everClusterOk: false,
    ringVersion: null,      // version of ringOwners
    ringOwners: null,       // array partition -> node id
    ringMoving: [],         // copies of the running membership change: {partition, from, to, keysSent, bytesSent, done}
    ringError: null,
    colors: new Map(),      // node id -> colour (cluster-model.js)
    pref: null,             // {key, partition, replicas}
    prefError: null,
    form: { w: '', contentType: 'text/plain' },  // the request form's write quorum and content type
    feedOpen: false,
    feedSubscribed: false
  };
  const listeners = new Map();

  function on(topic, fn) {
    if (!listeners.has(topic)) listeners.set(topic, []);
    listeners.get(topic).push(fn);
  }

  function emit(topic, payload) {
    for (const fn of listeners.get(topic) || []) {
      try { fn(payload); } catch (e) { onListenerError(topic, e); }
    }
  }

  return { state, on, emit };
}
