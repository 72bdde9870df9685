namespace AgentBridge.StackExchangeRedis;

/// <summary>
/// The two scripts that touch a user's stream. Each runs atomically on the user's shard, so that every server sees
/// one order per user: numbering, appending to the window and publishing are one step.
/// </summary>
internal static class LuaScripts
{
    /// <summary>
    /// Numbers an event, appends it to the window and publishes it. A stream whose metadata is gone (first use, expiry,
    /// or a Redis that lost its data) starts a new epoch. Returns the event's <c>seq</c>. Kept to four Redis calls on
    /// the common path: it runs once per event, and everything it costs adds to every emit's wait.
    /// KEYS: meta, stream[, once]. ARGV: body, window size, window age (ms), metadata lifetime (s), epoch tag, channel,
    /// publish command, target connection ('' for every connection), once lifetime (s), now (Unix ms).
    /// </summary>
    public const string Emit = """
        if #KEYS > 2 then
          local prior = redis.call('GET', KEYS[3])
          if prior then return tonumber(prior) end
        end
        local meta = redis.call('HMGET', KEYS[1], 'e', 'x')
        local epoch, now = meta[1], tonumber(ARGV[10])
        if not epoch then
          epoch = ARGV[5] .. string.format('%x', now)
          redis.call('DEL', KEYS[2])
          redis.call('HSET', KEYS[1], 'e', epoch)
        end
        local seq = redis.call('HINCRBY', KEYS[1], 's', 1)
        local frame = '{"seq":' .. seq .. ',' .. ARGV[1]
        if ARGV[8] == '' then
          redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], seq, 'f', frame, 't', now)
        else
          redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], seq, 'f', frame, 't', now, 'to', ARGV[8])
        end
        -- The lifetimes are renewed every half window age, not on every event: the stream lives 1.5 window ages past
        -- its last renewal, so it outlives every event in it by at least one window age.
        local age = tonumber(ARGV[3])
        if not meta[2] or now - tonumber(meta[2]) > age / 2 then
          redis.call('PEXPIRE', KEYS[2], math.floor(age * 1.5))
          redis.call('HSET', KEYS[1], 'x', now)
          redis.call('EXPIRE', KEYS[1], ARGV[4])
        end
        redis.call(ARGV[7], ARGV[6], epoch .. '|' .. ARGV[8] .. '|' .. frame)
        if #KEYS > 2 then redis.call('SET', KEYS[3], seq, 'EX', ARGV[9]) end
        return seq
        """;

    /// <summary>
    /// Reads the stream's head and, when the window still holds everything from <c>from</c> on (and the epoch is the
    /// expected one), its entries from <c>from</c> to <c>to</c>. The window is the newest <c>window size</c> events
    /// younger than the window's age: the stream itself is trimmed only roughly (cheaper for every emit), and the
    /// entries older than the age are dropped here first.
    /// Starts a new epoch when the metadata is gone, as <see cref="Emit"/> does, and also when the stream has fewer
    /// events than the caller already delivered in this epoch (a Redis that came back from a persistence file that
    /// missed its last writes): its next numbers would name other events than the ones clients applied.
    /// Returns: epoch, newest seq, oldest seq in the window (newest + 1 when empty), then seq, frame, target per entry.
    /// KEYS: meta, stream. ARGV: from, to ('+' for the newest), count, window age (ms), metadata lifetime (s), epoch
    /// tag, expected epoch ('' for any), newest seq the caller delivered in the expected epoch, now (Unix ms), window size.
    /// </summary>
    public const string Read = """
        local meta = redis.call('HMGET', KEYS[1], 'e', 's')
        local epoch, last = meta[1], tonumber(meta[2] or '0')
        if epoch and epoch == ARGV[7] and last < tonumber(ARGV[8]) then epoch = false end
        if not epoch then
          epoch = ARGV[6] .. string.format('%x', tonumber(ARGV[9]))
          last = 0
          redis.call('DEL', KEYS[2])
          redis.call('HDEL', KEYS[1], 'x')
          redis.call('HSET', KEYS[1], 'e', epoch, 's', 0)
        end
        redis.call('EXPIRE', KEYS[1], ARGV[5])
        local cutoff = tonumber(ARGV[9]) - tonumber(ARGV[4])
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
        oldest = math.max(oldest, last - tonumber(ARGV[10]) + 1)
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
