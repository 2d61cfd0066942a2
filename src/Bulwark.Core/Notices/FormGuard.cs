using System.Security.Cryptography;
using System.Text;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bulwark.Core.Notices;

/// <summary>
/// Flood guards of the public form: a per-address limit (<see cref="NoticeOptions.FormNoticesPerAddress"/> per window) and a
/// proof of work. A challenge is <c>{issued ticks}.{random}.{HMAC}</c>; the browser finds a counter such that
/// SHA-256(challenge ":" counter) starts with <see cref="NoticeOptions.ProofOfWorkBits"/> zero bits. The server checks the
/// HMAC, the age and the bits, and accepts each challenge once. Both the spent challenges and the per-address counts live in
/// the database (<c>notice_form_challenges</c>, <c>notice_form_counts</c>), so every instance behind a load balancer shares
/// them; instances must share <see cref="NoticeOptions.ChallengeKey"/> to accept each other's challenges.
/// </summary>
public sealed class FormGuard
{
    private readonly NoticeOptions _options;
    private readonly TimeProvider _clock;
    private readonly IBulwarkDbFactory _dbs;
    private readonly byte[] _key;

    public FormGuard(NoticeOptions options, TimeProvider clock, IBulwarkDbFactory dbs)
    {
        _options = options;
        _clock = clock;
        _dbs = dbs;
        _key = string.IsNullOrEmpty(options.ChallengeKey) ? RandomNumberGenerator.GetBytes(32) : Convert.FromBase64String(options.ChallengeKey);
    }

    public int Bits => _options.ProofOfWorkBits;

    public string NewChallenge()
    {
        var body = $"{_clock.GetUtcNow().UtcTicks}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}";
        return $"{body}.{Mac(body)}";
    }

    /// <summary>Null when the solution is good (and the challenge is now spent, for every instance), else why not.</summary>
    public async Task<string?> CheckAsync(string? challenge, string? counter, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(challenge) || string.IsNullOrEmpty(counter) || counter.Length > 20 || challenge.Length > 120) return "missing";
        var parts = challenge.Split('.');
        if (parts.Length != 3 || !long.TryParse(parts[0], out var ticks)) return "malformed";
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac($"{parts[0]}.{parts[1]}")), Encoding.ASCII.GetBytes(parts[2]))) return "forged";
        var now = _clock.GetUtcNow();
        var lifetime = TimeSpan.FromMinutes(_options.ChallengeMinutes);
        if (ticks > now.UtcTicks || now.UtcTicks - ticks > lifetime.Ticks) return "expired";
        if (!Solves(challenge, counter, Bits)) return "unsolved";
        await using var db = _dbs.Create();
        // Spent challenges are kept until they would have expired anyway; the primary key makes the second use fail.
        await db.Set<FormChallengeRow>().Where(c => c.ExpiresAt < now).ExecuteDeleteAsync(ct);
        db.Set<FormChallengeRow>().Add(new FormChallengeRow { Challenge = challenge, ExpiresAt = new DateTimeOffset(ticks, TimeSpan.Zero) + lifetime });
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { return "reused"; }
        return null;
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

    /// <summary>
    /// Counts one submission from <paramref name="address"/>; false when the address is over its limit for the window. Each
    /// step is one conditional statement, so concurrent submissions on any instance are counted exactly: count up inside a
    /// running window below the limit, else start a new window when the old one is over, else (no row yet) insert one.
    /// </summary>
    public async Task<bool> TryCountAsync(string address, CancellationToken ct)
    {
        var key = address.Length > 64 ? address[..64] : address;
        var limit = _options.FormNoticesPerAddress;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var now = _clock.GetUtcNow();
            var windowOpenedAfter = now - TimeSpan.FromMinutes(_options.RateWindowMinutes);
            await using var db = _dbs.Create();
            var counts = db.Set<FormCountRow>();
            if (await counts.Where(c => c.Address == key && c.WindowStart > windowOpenedAfter && c.Count < limit)
                    .ExecuteUpdateAsync(u => u.SetProperty(c => c.Count, c => c.Count + 1), ct) == 1) return true;
            if (await counts.Where(c => c.Address == key && c.WindowStart <= windowOpenedAfter)
                    .ExecuteUpdateAsync(u => u.SetProperty(c => c.Count, 1).SetProperty(c => c.WindowStart, now), ct) == 1) return true;
            if (await counts.AnyAsync(c => c.Address == key, ct)) return false; // a running window, at its limit
            await counts.Where(c => c.WindowStart <= windowOpenedAfter).ExecuteDeleteAsync(ct); // a new address: forget those whose window is over
            counts.Add(new FormCountRow { Address = key, WindowStart = now, Count = 1 });
            try { await db.SaveChangesAsync(ct); return true; }
            catch (DbUpdateException) { /* another submission from the address inserted it first: count again */ }
        }
        return false;
    }

    private string Mac(string body) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(body)))[..32];
}

/// <summary>A proof-of-work challenge already used, kept until it would have expired.</summary>
public sealed class FormChallengeRow
{
    public required string Challenge { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>Submissions of the public form from one address in its current window.</summary>
public sealed class FormCountRow
{
    public required string Address { get; set; }
    public DateTimeOffset WindowStart { get; set; }
    public int Count { get; set; }
}

internal sealed class FormChallengeConfiguration : IEntityTypeConfiguration<FormChallengeRow>
{
    public void Configure(EntityTypeBuilder<FormChallengeRow> e)
    {
        e.ToTable("notice_form_challenges");
        e.HasKey(x => x.Challenge);
        e.Property(x => x.Challenge).HasMaxLength(120);
        e.HasIndex(x => x.ExpiresAt);
    }
}

internal sealed class FormCountConfiguration : IEntityTypeConfiguration<FormCountRow>
{
    public void Configure(EntityTypeBuilder<FormCountRow> e)
    {
        e.ToTable("notice_form_counts");
        e.HasKey(x => x.Address);
        e.Property(x => x.Address).HasMaxLength(64);
        e.HasIndex(x => x.WindowStart);
    }
}
