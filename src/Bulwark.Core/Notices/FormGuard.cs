using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Bulwark.Core.Notices;

/// <summary>
/// Flood guards of the public form: a per-address limit (<see cref="NoticeOptions.FormNoticesPerAddress"/> per window) and a
/// proof of work. A challenge is <c>{issued ticks}.{random}.{HMAC}</c>; the browser finds a counter such that
/// SHA-256(challenge ":" counter) starts with <see cref="NoticeOptions.ProofOfWorkBits"/> zero bits. The server checks the
/// HMAC, the age and the bits, and accepts each challenge once. State is per process (one instance, or a sticky route).
/// </summary>
public sealed class FormGuard
{
    private readonly NoticeOptions _options;
    private readonly TimeProvider _clock;
    private readonly byte[] _key;
    private readonly ConcurrentDictionary<string, (long WindowStart, int Count)> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _used = new(StringComparer.Ordinal);

    public FormGuard(NoticeOptions options, TimeProvider clock)
    {
        _options = options;
        _clock = clock;
        _key = string.IsNullOrEmpty(options.ChallengeKey) ? RandomNumberGenerator.GetBytes(32) : Convert.FromBase64String(options.ChallengeKey);
    }

    public int Bits => _options.ProofOfWorkBits;

    public string NewChallenge()
    {
        var body = $"{_clock.GetUtcNow().UtcTicks}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}";
        return $"{body}.{Mac(body)}";
    }

    /// <summary>Null when the solution is good (and the challenge is now spent), else why not.</summary>
    public string? Check(string? challenge, string? counter)
    {
        if (string.IsNullOrEmpty(challenge) || string.IsNullOrEmpty(counter) || counter.Length > 20) return "missing";
        var parts = challenge.Split('.');
        if (parts.Length != 3 || !long.TryParse(parts[0], out var ticks)) return "malformed";
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac($"{parts[0]}.{parts[1]}")), Encoding.ASCII.GetBytes(parts[2]))) return "forged";
        var now = _clock.GetUtcNow().UtcTicks;
        if (ticks > now || now - ticks > TimeSpan.FromMinutes(_options.ChallengeMinutes).Ticks) return "expired";
        if (!Solves(challenge, counter, Bits)) return "unsolved";
        foreach (var (k, t) in _used) if (now - t > TimeSpan.FromMinutes(_options.ChallengeMinutes).Ticks) _used.TryRemove(k, out _);
        return _used.TryAdd(challenge, ticks) ? null : "reused";
    }

    public static bool Solves(string challenge, string counter, int bits)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{challenge}:{counter}"));
        for (var i = 0; i < bits; i++)
            if ((hash[i / 8] & (0x80 >> (i % 8))) != 0) return false;
        return true;
    }

    /// <summary>The reference solver (tests, the CLI): the first counter that solves the challenge.</summary>
    public static string Solve(string challenge, int bits)
    {
        for (long i = 0; ; i++)
            if (Solves(challenge, i.ToString(System.Globalization.CultureInfo.InvariantCulture), bits)) return i.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Counts one submission from <paramref name="address"/>; false when the address is over its limit for the window.</summary>
    public bool TryCount(string address)
    {
        var now = _clock.GetUtcNow().UtcTicks;
        var window = TimeSpan.FromMinutes(_options.RateWindowMinutes).Ticks;
        var allowed = true;
        _counts.AddOrUpdate(address, _ => (now, 1), (_, c) =>
        {
            allowed = true; // the delegate may run again under contention; its last run decides
            if (now - c.WindowStart >= window) return (now, 1);
            if (c.Count >= _options.FormNoticesPerAddress) { allowed = false; return c; }
            return (c.WindowStart, c.Count + 1);
        });
        if (_counts.Count > 100_000)
            foreach (var (k, c) in _counts) if (now - c.WindowStart >= window) _counts.TryRemove(k, out _);
        return allowed;
    }

    private string Mac(string body) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(body)))[..32];
}
