using System.Text.RegularExpressions;
using Bulwark.Core.Ingest;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bulwark.Core.Accounts;

/// <summary>
/// An identifier the platform links to an account, sent already hashed with the platform's own salt: Bulwark never sees
/// the device id, e-mail address, phone number, payment instrument or IP address itself, only compares hashes.
/// </summary>
public sealed class LinkedIdentifier
{
    /// <summary>One of <see cref="LinkedIdentifierTypes.All"/>.</summary>
    public string? Type { get; set; }
    /// <summary>The platform's salted hash: 16–128 characters of hex or unpadded base64url, compared exactly as sent.</summary>
    public string? Hash { get; set; }
}

/// <summary>
/// The closed set of identifier types and how strongly a shared one suggests the same person: a device or payment
/// instrument is rarely shared by strangers, a phone number or e-mail address sometimes is (families, recycled numbers),
/// an IP address often is (carrier NAT, cafés), so it scores low.
/// </summary>
public static partial class LinkedIdentifierTypes
{
    public const string Device = "device", Email = "email", Phone = "phone", Payment = "payment", Ip = "ip";

    public static readonly IReadOnlyDictionary<string, double> Strength = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        [Device] = 0.9, [Payment] = 0.9, [Phone] = 0.8, [Email] = 0.7, [Ip] = 0.3,
    };

    public static readonly string[] All = [Device, Email, Phone, Payment, Ip];

    public const int MaxPerAccount = 20, MinHashLength = 16, MaxHashLength = 128;

    // Hex is a subset of the base64url alphabet; padding is refused so one value has one spelling.
    [GeneratedRegex("^[A-Za-z0-9_-]{16,128}\\z")]
    private static partial Regex HashPattern();

    /// <summary>Adds an error naming the field for every problem in <paramref name="values"/> (field prefix e.g. <c>account.linkedIdentifiers</c>).</summary>
    public static void Check(List<FieldError> errors, string field, List<LinkedIdentifier>? values)
    {
        if (values is null) return;
        if (values.Count > MaxPerAccount)
        {
            errors.Add(new(field, $"has {values.Count} items; at most {MaxPerAccount} are accepted"));
            return;
        }
        for (var i = 0; i < values.Count; i++)
        {
            var f = $"{field}[{i}]";
            if (values[i] is not { } v) { errors.Add(new(f, "must be an object with type and hash")); continue; }
            if (string.IsNullOrEmpty(v.Type)) errors.Add(new($"{f}.type", "is required; one of " + string.Join(", ", All)));
            else if (!Strength.ContainsKey(v.Type))
                errors.Add(new($"{f}.type", $"'{(v.Type.Length <= 20 ? v.Type : v.Type[..20] + "…")}' is not an identifier type; expected one of {string.Join(", ", All)}"));
            // The hash itself never goes into an error message.
            if (string.IsNullOrEmpty(v.Hash)) errors.Add(new($"{f}.hash", "is required: the platform's salted hash of the identifier"));
            else if (!HashPattern().IsMatch(v.Hash))
                errors.Add(new($"{f}.hash", v.Hash.Length is < MinHashLength or > MaxHashLength
                    ? $"is {v.Hash.Length} characters long; a hash must be {MinHashLength}–{MaxHashLength} characters"
                    : "must be hex or unpadded base64url (A-Z, a-z, 0-9, '-', '_'); raw identifiers are not accepted"));
        }
    }
}

/// <summary>One hashed identifier linked to one account, with when Bulwark first and last received the link.</summary>
public sealed class AccountLinkRow
{
    public long Id { get; set; }
    public required string AccountId { get; set; }
    public required string Type { get; set; }
    public required string Hash { get; set; }
    public DateTimeOffset FirstSeenAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
}

internal sealed class AccountLinkRowConfiguration : IEntityTypeConfiguration<AccountLinkRow>
{
    public void Configure(EntityTypeBuilder<AccountLinkRow> e)
    {
        e.ToTable("account_links");
        e.HasIndex(x => new { x.AccountId, x.Type, x.Hash }).IsUnique();
        // The ban-evasion lookup: which other accounts carry this hash.
        e.HasIndex(x => new { x.Hash, x.Type });
        e.Property(x => x.AccountId).HasMaxLength(128);
        e.Property(x => x.Type).HasMaxLength(16);
        e.Property(x => x.Hash).HasMaxLength(LinkedIdentifierTypes.MaxHashLength);
    }
}

/// <summary>
/// Records identifier links in the caller's unit of work: new links are added once (a unique key refuses duplicates),
/// known ones have their last-seen time moved on. Links are never removed by a later message that omits them: a link
/// once seen stays evidence. Hashes are never logged or audited.
/// </summary>
public static class AccountLinks
{
    /// <summary>Adds or touches the links of each account (one query for all of them); the caller saves.</summary>
    public static async Task<int> RecordAsync(BulwarkDbContext db, IEnumerable<(string AccountId, IReadOnlyList<LinkedIdentifier> Identifiers)> links, DateTimeOffset now, CancellationToken ct)
    {
        var wanted = links
            .SelectMany(l => l.Identifiers.Select(i => (l.AccountId, Type: i.Type!, Hash: i.Hash!)))
            .Distinct().ToList();
        if (wanted.Count == 0) return 0;
        var accounts = wanted.Select(w => w.AccountId).Distinct().ToList();
        var existing = (await db.Set<AccountLinkRow>().Where(r => accounts.Contains(r.AccountId)).ToListAsync(ct))
            .ToDictionary(r => (r.AccountId, r.Type, r.Hash));
        var added = 0;
        foreach (var w in wanted)
        {
            if (existing.TryGetValue(w, out var row))
            {
                if (row.LastSeenAt < now) row.LastSeenAt = now;
                continue;
            }
            db.Set<AccountLinkRow>().Add(new AccountLinkRow { AccountId = w.AccountId, Type = w.Type, Hash = w.Hash, FirstSeenAt = now, LastSeenAt = now });
            added++;
        }
        return added;
    }
}
