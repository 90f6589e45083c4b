-- wrk script for realistic traffic (bench/traffic.py writes its input; run with as many
-- threads as connections, so that each thread is one connection, one browser).
--
-- BENCH_PLAN: a path prefix; thread n reads BENCH_PLAN.n, one request a line:
--   kind <TAB> method <TAB> path <TAB> cookie <TAB> body
-- Each thread's file holds only the requests of its own users (its workers, each logged in
-- with their own session), so no two connections act for the same user.
-- BENCH_WEIGHTS: "kind=weight,kind=weight": each request picks a kind by weight, then one
-- of that kind's requests of this thread's users at random.
-- BENCH_CSRF, BENCH_REFERER: the CSRF token (in every cookie) and the Referer.
--
-- Every response is checked against what its request must get: 200 for a GET, a redirect
-- (302) for a POST (a form that fails validation is re-rendered with 200: a write that did
-- not happen). done() prints one JSON line with the totals, wrk's error counts and the
-- statuses per kind; bench/run.py refuses a run with any error or unexpected status.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads - 1)
end

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(fields, field)
  end
  return fields
end

local kinds = {}      -- name -> list of {raw request, expected status}
local weights = {}    -- list of {name, cumulative weight}
local total = 0
local last = nil      -- the kind of the request in flight (one connection per thread)
local counts = {}     -- "kind<TAB>status" -> responses
statuses = ""         -- counts as "kind<TAB>status<TAB>n" lines, for done()
unexpected = 0        -- responses other than the one expected

function init(args)
  math.randomseed(1000 + id)
  local csrf = os.getenv("BENCH_CSRF")
  local referer = os.getenv("BENCH_REFERER")
  for line in io.lines(os.getenv("BENCH_PLAN") .. "." .. id) do
    local f = split(line)
    local kind, method, path, cookie, body = f[1], f[2], f[3], f[4], f[5]
    local headers = {Cookie = cookie, ["X-CSRFToken"] = csrf, Referer = referer}
    if method == "POST" then
      headers["Content-Type"] = "application/x-www-form-urlencoded"
    else
      body = nil
    end
    kinds[kind] = kinds[kind] or {}
    table.insert(kinds[kind], {
      raw = wrk.format(method, path, headers, body),
      expect = method == "POST" and 302 or 200,
    })
  end
  for pair in os.getenv("BENCH_WEIGHTS"):gmatch("[^,]+") do
    local name, weight = pair:match("^(.-)=([%d.]+)$")
    if kinds[name] then
      total = total + tonumber(weight)
      table.insert(weights, {name, total})
    end
  end
  if total == 0 then
    error("thread " .. id .. " has no request of the kinds weighted")
  end
end

local function pick()
  local r = math.random() * total
  for _, w in ipairs(weights) do
    if r < w[2] then
      return w[1]
    end
  end
  return weights[#weights][1]
end

function request()
  local kind = pick()
  local list = kinds[kind]
  local chosen = list[math.random(#list)]
  last = {kind, chosen.expect}
  return chosen.raw
end

function response(status, headers, body)
  local kind, expect = last[1], last[2]
  local key = kind .. "\t" .. status
  counts[key] = (counts[key] or 0) + 1
  if status ~= expect then
    unexpected = unexpected + 1
  end
  -- done() reads each thread's globals through thread:get, which copies strings and
  -- numbers safely but crashes wrk 4.1 on nested tables: the counts go as one string.
  local parts = {}
  for k, n in pairs(counts) do
    table.insert(parts, k .. "\t" .. n)
  end
  statuses = table.concat(parts, "\n")
end

function done(summary, latency, requests)
  local per_kind, bad = {}, 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("unexpected") or 0)
    for kind, status, n in (thread:get("statuses") or ""):gmatch("([^\t\n]+)\t(%d+)\t(%d+)") do
      per_kind[kind] = per_kind[kind] or {}
      per_kind[kind][status] = (per_kind[kind][status] or 0) + tonumber(n)
    end
  end
  local parts = {}
  for kind, counts in pairs(per_kind) do
    local inner = {}
    for status, n in pairs(counts) do
      table.insert(inner, string.format('"%s": %d', status, n))
    end
    table.insert(parts, string.format('"%s": {%s}', kind, table.concat(inner, ", ")))
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, ' ..
    '"p99_ms": %.2f, "errors": %d, "socket_errors": {"connect": %d, "read": %d, ' ..
    '"write": %d, "timeout": %d}, "non_2xx_3xx": %d, "unexpected": %d, ' ..
    '"statuses": {%s}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout,
    e.connect, e.read, e.write, e.timeout, e.status, bad, table.concat(parts, ", ")))
end
