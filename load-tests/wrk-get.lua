-- GET of a random key of 100k (bench-0 .. bench-99999), R=2: run after wrk-put.lua has written
-- them. For wrk -t1 -cC, one process per node.
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  local k = math.random(0, 99999)
  return wrk.format("GET", "/kv/bench-" .. k .. "?r=2")
end
