/**
 * The Redis barrier: ONE Lua script, run atomically by Redis, so "add the
 * chunk, count, compare, fire" can never interleave with another hub's call.
 *
 * KEYS[1] chunks hash  (field `fileId/index` → sha256)
 * KEYS[2] files hash   (fileId → chunk count, from the manifest)
 * KEYS[3] meta hash    (expected = total chunks, hit = listed chunks stored, fired = 1 once fired)
 * ARGV[1] op: 'chunk' | 'manifest'; ARGV[2] TTL in seconds
 * chunk:    ARGV[3] fileId, ARGV[4] index, ARGV[5] sha256
 * manifest: ARGV[3..] fileId, chunkCount pairs
 * Returns 'fired' (once), 'done', 'waiting' or 'conflict'.
 *
 * `hit` counts only chunks the manifest lists; when the manifest arrives after
 * chunks it is computed once from the chunks hash, afterwards kept up to date
 * by each new chunk. The `fired` flag makes the answer `fired` happen once.
 */
export const BARRIER_LUA = `
local op = ARGV[1]
local ttl = tonumber(ARGV[2])
local function listed(fileId, idx)
  local n = redis.call('HGET', KEYS[2], fileId)
  return n ~= false and idx < tonumber(n)
end
local answer = nil
if op == 'chunk' then
  local field = ARGV[3] .. '/' .. ARGV[4]
  local prev = redis.call('HGET', KEYS[1], field)
  if prev then
    if prev ~= ARGV[5] then answer = 'conflict' end
  else
    redis.call('HSET', KEYS[1], field, ARGV[5])
    if listed(ARGV[3], tonumber(ARGV[4])) then redis.call('HINCRBY', KEYS[3], 'hit', 1) end
  end
elseif op == 'manifest' then
  if redis.call('HEXISTS', KEYS[3], 'expected') == 0 then
    local total = 0
    for i = 3, #ARGV, 2 do
      redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
      total = total + tonumber(ARGV[i + 1])
    end
    local hit = 0
    for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
      local f, idx = string.match(field, '^(.*)/(%d+)$')
      if f and listed(f, tonumber(idx)) then hit = hit + 1 end
    end
    redis.call('HSET', KEYS[3], 'expected', total, 'hit', hit)
  end
else
  return redis.error_reply('ARGUS_BARRIER_OP unknown op ' .. tostring(op))
end
for i = 1, 3 do
  if redis.call('EXISTS', KEYS[i]) == 1 then redis.call('EXPIRE', KEYS[i], ttl) end
end
if answer then return answer end
local m = redis.call('HMGET', KEYS[3], 'expected', 'hit', 'fired')
if m[3] then return 'done' end
if m[1] and tonumber(m[2] or '0') >= tonumber(m[1]) then
  redis.call('HSET', KEYS[3], 'fired', '1')
  redis.call('EXPIRE', KEYS[3], ttl)
  return 'fired'
end
return 'waiting'
`;
