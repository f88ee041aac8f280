/**
 * ringkv demo console: plain ES modules, no build step, no external resources. Talks only to the
 * node that served the page (api.js lists the endpoints).
 *
 * Every panel is a view module exporting mount(root, app): it draws its initial state inside
 * root, subscribes to the store's topics (store.js lists them) and emits its own; views never
 * import each other. app = {api, store}. A new panel is a module plus one line in VIEWS (and its
 * section in index.html).
 */
import { api } from './api.js';
import { createStore } from './store.js';
import { startClusterSync } from './cluster-sync.js';
import { errMessage } from './format.js';
import { reportPageErrors, toast } from './notify.js';
import * as header from './header.js';
import * as nodes from './nodes.js';
import * as ring from './ring.js';
import * as preference from './preference.js';
import * as requestForm from './request-form.js';
import * as response from './response.js';
import * as conflicts from './conflicts.js';
import * as feed from './feed.js';
import * as antiEntropy from './antientropy.js';
import * as datacenters from './datacenters.js';
import * as transfers from './transfers.js';

/** [root selector, view], mounted in this order. */
const VIEWS = [
  ['body', header],
  ['#nodes-card', nodes],
  ['#dc-card', datacenters],
  ['#ring-card', ring],
  ['#preference-box', preference],
  ['#request-card', requestForm],
  ['#response-card', response],
  ['#conflicts-card', conflicts],
  ['#feed-card', feed],
  ['#transfers-card', transfers],
  ['#ae-card', antiEntropy]
];

reportPageErrors();
const store = createStore((topic, e) => toast('Render error (' + topic + '): ' + errMessage(e)));
const app = { api, store };

// /cluster is asked before the feed connects, so the feed's "subscribed" line can name this
// node. Its answers arrive in later tasks: every view below is mounted by then.
startClusterSync(app);
for (const [selector, view] of VIEWS) view.mount(document.querySelector(selector), app);

// body[data-ready=true] once the cluster answered and the feed is subscribed (tests wait for it).
const markReady = () => {
  const s = store.state;
  if (s.everClusterOk && s.feedOpen && s.feedSubscribed) document.body.dataset.ready = 'true';
};
store.on('cluster', markReady);
store.on('feed', markReady);
