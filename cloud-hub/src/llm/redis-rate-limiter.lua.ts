/**
 * Lua of {@link RedisRateLimiter}. Time is Redis's own clock (TIME), so hubs
 * with skewed clocks agree. Keys: 1 = semaphore (zset id → lease expiry),
 * 2 = requests (zset id → start), 3 = token entries (zset id → start),
 * 4 = token counts (hash id → tokens).
 */

/** Shared prologue: `now` in ms, dead leases and entries older than the window dropped. */
const PROLOGUE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local old = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now - window)
if #old > 0 then redis.call('HDEL', KEYS[4], unpack(old)) end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - window)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
`;

/**
 * ARGV: window ms, id, tokens, concurrency, rpm, tpm, lease ms.
 * Returns `{1, 0}` when the slot is granted, `{0, wait ms}` otherwise
 * (wait 0 = a concurrency slot is busy: poll again soon).
 */
export const ACQUIRE_LUA = `${PROLOGUE}
local id, tokens = ARGV[2], tonumber(ARGV[3])
local concurrency, rpm, tpm, lease = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
if redis.call('ZCARD', KEYS[1]) >= concurrency then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, 0, tonumber(first[2]) - now}
end
local wait = 0
if redis.call('ZCARD', KEYS[2]) >= rpm then
  local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  wait = math.max(wait, tonumber(first[2]) + window - now)
end
local used = 0
for _, v in ipairs(redis.call('HVALS', KEYS[4])) do used = used + tonumber(v) end
if used + tokens > tpm then
  local entries = redis.call('ZRANGE', KEYS[3], 0, -1, 'WITHSCORES')
  for i = 1, #entries, 2 do
    if used + tokens <= tpm then break end
    used = used - tonumber(redis.call('HGET', KEYS[4], entries[i]) or '0')
    wait = math.max(wait, tonumber(entries[i + 1]) + window - now)
  end
end
if wait > 0 then return {0, wait, 0} end
redis.call('ZADD', KEYS[1], now + lease, id)
redis.call('ZADD', KEYS[2], now, id)
redis.call('ZADD', KEYS[3], now, id)
redis.call('HSET', KEYS[4], id, tokens)
for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], window + lease) end
return {1, 0, 0}
`;

/** ARGV: window ms, id, tokens used. Frees the slot and records the tokens actually used. */
export const RELEASE_LUA = `${PROLOGUE}
redis.call('ZREM', KEYS[1], ARGV[2])
if redis.call('HEXISTS', KEYS[4], ARGV[2]) == 1 then redis.call('HSET', KEYS[4], ARGV[2], ARGV[3]) end
return 1
`;

/** ARGV: window ms, id, lease ms. Extends a held lease; 0 when it had already expired. */
export const RENEW_LUA = `${PROLOGUE}
return redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[3]), ARGV[2])
`;
