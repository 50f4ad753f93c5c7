-- wrk script: replay the requests of a plan file, one per line, cycling, so the load generator
-- costs almost no CPU (no JSON, no parsing of answers). Used by bench/bench_classroom.py.
--
-- PLAN=path/to/file.tsv wrk -t1 -c4 -d10s -s bench/wrk/plan.lua http://127.0.0.1:PORT
-- Each line: METHOD <tab> PATH <tab> TOKEN (or -) <tab> BODY (or -). "{n}" in a body becomes a
-- number unique to this wrk run (thread id and counter), for join names.
-- DELAY_MS=n waits n ms before each request of a connection (see the end).

local lines = {}
local counter = 0
thread_id = 0  -- set per thread by setup()
local threads_made = 0

function setup(thread)
  threads_made = threads_made + 1
  thread:set("thread_id", threads_made)
end

function init(args)
  local file = assert(io.open(os.getenv("PLAN"), "r"))
  for line in file:lines() do
    local method, path, token, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    if method then
      lines[#lines + 1] = { method = method, path = path, token = token, body = body }
    end
  end
  file:close()
  counter = math.random(0, #lines - 1)
end

function request()
  counter = counter + 1
  local item = lines[(counter % #lines) + 1]
  local headers = { ["Content-Type"] = "application/json" }
  if item.token ~= "-" then
    headers["Authorization"] = "Bearer " .. item.token
  end
  local body = nil
  if item.body ~= "-" then
    body = item.body:gsub("{n}", tostring(thread_id) .. "-" .. tostring(counter))
  end
  return wrk.format(item.method, item.path, headers, body)
end

-- DELAY_MS paces a connection (one request, then this many milliseconds of quiet): joins, starts
-- and submits come at a classroom's rate, not as fast as the server can take them.
local pause = tonumber(os.getenv("DELAY_MS") or "0")

function delay()
  return pause
end
