-- ringkv PUT from writers that carry their context, for wrk with one connection per thread
-- (wrk -tC -cC): each thread writes only its own keys and sends, with every write of a key, the
-- X-Context its previous write of that key got back, as a client that reads its own writes does.
-- In siblings mode such writes supersede each other instead of piling up siblings, so this is the
-- load that tells what siblings mode costs over lww. KEYS_PER_THREAD (default 1960: about 100k
-- keys over 51 threads) keys of 100 bytes per thread; the server's port keeps processes apart.
local val = string.rep("v", 100)
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
end

local prefix, keys, contexts, last

function init(args)
  keys = tonumber(os.getenv("KEYS_PER_THREAD") or "1960")
  prefix = "/kv/ctx-" .. wrk.port .. "-" .. tid .. "-"
  contexts = {}
  math.randomseed(os.time() + tid * 7919 + tonumber(wrk.port))
end

function request()
  last = math.random(0, keys - 1)
  local headers = {["Content-Type"] = "text/plain"}
  local context = contexts[last]
  if context then
    headers["X-Context"] = context
  end
  return wrk.format("PUT", prefix .. last .. "?w=2", headers, val)
end

function response(status, headers, body)
  if status == 204 then
    contexts[last] = headers["X-Context"] or headers["x-context"]
  end
end
