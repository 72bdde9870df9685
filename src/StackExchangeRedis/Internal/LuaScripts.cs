namespace AgentBridge.StackExchangeRedis;

/// <summary>
/// The two scripts that touch a user's stream. Each runs atomically on the user's shard, so that every server sees
/// one order per user: numbering, appending to the window and publishing are one step.
/// </summary>
internal static class LuaScripts
{
    /// <summary>
    /// Numbers an event, appends it to the window and publishes it. A stream whose metadata is gone (first use, expiry,
    /// or a Redis that lost its data) starts a new epoch. Returns the event's <c>seq</c>.
    /// KEYS: meta, stream[, once]. ARGV: body, window size, window age (ms), metadata lifetime (s), epoch tag,
    /// channel, publish command, target connection ('' for every connection), once lifetime (s).
    /// </summary>
    public const string Emit = """
        if #KEYS > 2 then
          local prior = redis.call('GET', KEYS[3])
          if prior then return tonumber(prior) end
        end
        local epoch = redis.call('HGET', KEYS[1], 'e')
        if not epoch then
          local t = redis.call('TIME')
          epoch = ARGV[5] .. string.format('%x%05x', tonumber(t[1]), tonumber(t[2]))
          redis.call('DEL', KEYS[2])
          redis.call('HSET', KEYS[1], 'e', epoch)
        end
        local seq = redis.call('HINCRBY', KEYS[1], 's', 1)
        redis.call('EXPIRE', KEYS[1], ARGV[4])
        local frame = '{"seq":' .. seq .. ',' .. ARGV[1]
        local now = redis.call('TIME')
        local ms = now[1] * 1000 + math.floor(now[2] / 1000)
        if ARGV[8] == '' then
          redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], seq, 'f', frame, 't', ms)
        else
          redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], seq, 'f', frame, 't', ms, 'to', ARGV[8])
        end
        redis.call('PEXPIRE', KEYS[2], ARGV[3])
        redis.call(ARGV[7], ARGV[6], epoch .. '|' .. ARGV[8] .. '|' .. frame)
        if #KEYS > 2 then redis.call('SET', KEYS[3], seq, 'EX', ARGV[9]) end
        return seq
        """;

    /// <summary>
    /// Reads the stream's head and, when the window still holds everything from <c>from</c> on (and the epoch is the
    /// expected one), its entries from <c>from</c> to <c>to</c>. Drops the entries older than the window's age first.
    /// Starts a new epoch when the metadata is gone, as <see cref="Emit"/> does, and also when the stream has fewer
    /// events than the caller already delivered in this epoch (a Redis that came back from a persistence file that
    /// missed its last writes): its next numbers would name other events than the ones clients applied.
    /// Returns: epoch, newest seq, oldest seq in the window (newest + 1 when empty), then seq, frame, target per entry.
    /// KEYS: meta, stream. ARGV: from, to ('+' for the newest), count, window age (ms), metadata lifetime (s), epoch
    /// tag, expected epoch ('' for any), newest seq the caller delivered in the expected epoch.
    /// </summary>
    public const string Read = """
        local meta = redis.call('HMGET', KEYS[1], 'e', 's')
        local epoch, last = meta[1], tonumber(meta[2] or '0')
        if epoch and epoch == ARGV[7] and last < tonumber(ARGV[8]) then epoch = false end
        if not epoch then
          local t = redis.call('TIME')
          epoch = ARGV[6] .. string.format('%x%05x', tonumber(t[1]), tonumber(t[2]))
          last = 0
          redis.call('DEL', KEYS[2])
          redis.call('HSET', KEYS[1], 'e', epoch, 's', 0)
        end
        redis.call('EXPIRE', KEYS[1], ARGV[5])
        local now = redis.call('TIME')
        local cutoff = now[1] * 1000 + math.floor(now[2] / 1000) - tonumber(ARGV[4])
        local oldest = last + 1
        while true do
          local batch = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 64)
          if #batch == 0 then break end
          local live = nil
          for i = 1, #batch do
            if tonumber(batch[i][2][4]) >= cutoff then live = i break end
          end
          if live then
            local id = tonumber(string.match(batch[live][1], '^%d+'))
            if live > 1 then redis.call('XTRIM', KEYS[2], 'MINID', id) end
            oldest = id
            break
          end
          redis.call('XTRIM', KEYS[2], 'MINID', tonumber(string.match(batch[#batch][1], '^%d+')) + 1)
        end
        local out = {epoch, last, oldest}
        local from = tonumber(ARGV[1])
        if tonumber(ARGV[3]) > 0 and from >= oldest and from <= last and (ARGV[7] == '' or ARGV[7] == epoch) then
          local entries = redis.call('XRANGE', KEYS[2], from, ARGV[2], 'COUNT', ARGV[3])
          for i = 1, #entries do
            local fields = entries[i][2]
            out[#out + 1] = tonumber(string.match(entries[i][1], '^%d+'))
            out[#out + 1] = fields[2]
            out[#out + 1] = fields[6] or ''
          end
        end
        return out
        """;
}
