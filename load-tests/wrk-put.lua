-- PUT of a random key of 100k (bench-0 .. bench-99999), 100-byte value, W=2: blind writes, the
-- load of the outside comparison with etcd. For wrk -t1 -cC, one process per node.
local val = string.rep("v", 100)
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  local k = math.random(0, 99999)
  return wrk.format("PUT", "/kv/bench-" .. k .. "?w=2", {["Content-Type"] = "text/plain"}, val)
end
