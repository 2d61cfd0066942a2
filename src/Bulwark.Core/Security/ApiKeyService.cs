using System.Security.Cryptography;
using System.Text;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Security;

public static class Scopes
{
    public const string Ingest = "ingest";
    public const string Read = "read";
    public const string Admin = "admin";
    /// <summary>Read the pull feed of platform actions.</summary>
    public const string ActionsRead = "actions:read";
    /// <summary>Manage webhook subscriptions and their dead letters.</summary>
    public const string WebhooksAdmin = "webhooks:admin";
    /// <summary>Changes the policy catalogue and rule set, and records off-platform findings.</summary>
    public const string PolicyAdmin = "policy:admin";
    /// <summary>Decide appeals (and list them): given to the people who review appeals, never to integrations.</summary>
    public const string AppealsDecide = "appeals:decide";
    /// <summary>Read preserved content (Reg. 2021/784 Art. 6): legal officers only; every access is audited.</summary>
    public const string PreservationRead = "preservation:read";
    /// <summary>Place and release legal holds on preserved content.</summary>
    public const string PreservationHold = "preservation:hold";
    /// <summary>Suspend and ban accounts when confirming a decision (with <c>policy:admin</c>): a senior moderator's measures.</summary>
    public const string AccountsRestrict = "accounts:restrict";
    /// <summary>Pull the exchanges this instance publishes (given to partner instances, nothing else).</summary>
    public const string ExchangesPull = "exchanges:pull";
    /// <summary>Send and read removal orders (Reg. 2021/784) and answer them: a competent authority's gateway or the legal team's tools.</summary>
    public const string Authorities = "authorities";
    /// <summary>
    /// With <c>appeals:decide</c>: the key works appeals as a senior moderator, so it may also read and decide appeals of
    /// decisions from queues only senior moderators and legal officers work (threat-to-life). Without it a key works appeals as
    /// a moderator, as the console does for a person with that role.
    /// </summary>
    public const string AppealsSenior = "appeals:senior";
    public static readonly string[] All = [Ingest, Read, Admin, ActionsRead, WebhooksAdmin, PolicyAdmin, AppealsDecide, PreservationRead, PreservationHold, AccountsRestrict, AppealsSenior, Authorities, ExchangesPull];

    /// <summary>The console roles a key with <paramref name="scopes"/> works review queues with (appeals, for now).</summary>
    public static IReadOnlySet<string> ReviewRoles(IReadOnlySet<string> scopes)
    {
        var roles = new HashSet<string>(StringComparer.Ordinal);
        if (scopes.Contains(AppealsDecide)) roles.Add(ConsoleRoles.Moderator);
        if (scopes.Contains(AppealsDecide) && scopes.Contains(AppealsSenior)) roles.Add(ConsoleRoles.SeniorModerator);
        return roles;
    }

    /// <summary>
    /// Whether a key with <paramref name="scopes"/> may take a measure in a confirmation: content measures and strikes with
    /// <c>policy:admin</c> (the confirm endpoint's scope), suspensions and bans only with <c>accounts:restrict</c> too.
    /// </summary>
    public static bool MayTake(IReadOnlySet<string> scopes, string measure) => measure switch
    {
        "account.suspend" or "account.ban" => scopes.Contains(PolicyAdmin) && scopes.Contains(AccountsRestrict),
        _ => scopes.Contains(PolicyAdmin),
    };
}

public sealed record ApiKeyInfo(string Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>A validated caller.</summary>
public sealed record ApiCaller(string KeyId, string Name, IReadOnlySet<string> Scopes);

/// <summary>
/// API keys of the form <c>bwk_{id}_{secret}</c>. Only the SHA-256 of the secret is stored; the key is shown once, at creation.
/// </summary>
public sealed class ApiKeyService(IBulwarkDbFactory dbs, AuditLog audit, TimeProvider clock)
{
    private const string Prefix = "bwk_";

    public async Task<(ApiKeyInfo Info, string Key)> CreateAsync(string name, IReadOnlyCollection<string> scopes, string actor, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100) throw new ArgumentException("The key name must be 1 to 100 characters.", nameof(name));
        var unknown = scopes.Where(s => !Scopes.All.Contains(s)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"Unknown scope(s): {string.Join(", ", unknown)}. Known scopes: {string.Join(", ", Scopes.All)}.", nameof(scopes));
        if (scopes.Count == 0) throw new ArgumentException($"At least one scope is required ({string.Join(", ", Scopes.All)}).", nameof(scopes));

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));                     // lookup key, never contains '_'
        var secret = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24)); // 192 bits: proves possession
        var row = new ApiKeyRow
        {
            Id = id, Name = name, SecretHash = HashSecret(secret),
            Scopes = string.Join(',', scopes.Distinct().Order()), CreatedAt = clock.GetUtcNow(),
        };
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        db.ApiKeys.Add(row);
        await audit.AppendAsync(db, [new AuditRecord(actor, "apikey.created", $"apikey:{id}", After: $"name={name}; scopes={row.Scopes}")], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (ToInfo(row), $"{Prefix}{id}_{secret}");
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        var rows = await db.ApiKeys.AsNoTracking().ToListAsync(ct);
        return rows.OrderBy(r => r.CreatedAt).Select(ToInfo).ToList();
    }

    /// <summary>Revokes a key; false when no such key exists. Revoking twice is allowed and changes nothing.</summary>
    public async Task<bool> RevokeAsync(string id, string actor, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var row = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct);
        if (row is null) return false;
        if (row.RevokedAt is null)
        {
            row.RevokedAt = clock.GetUtcNow();
            await audit.AppendAsync(db, [new AuditRecord(actor, "apikey.revoked", $"apikey:{id}", Before: "active", After: "revoked")], ct);
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Returns the caller for a valid, unrevoked key; null otherwise.</summary>
    public async Task<ApiCaller?> ValidateAsync(string presented, CancellationToken ct)
    {
        if (!TryParse(presented, out var id, out var secret)) return null;
        await using var db = dbs.Create();
        var row = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id, ct);
        if (row is null || row.RevokedAt is not null) return null;
        var expected = Convert.FromHexString(row.SecretHash);
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        if (!CryptographicOperations.FixedTimeEquals(expected, actual)) return null;
        return new ApiCaller(row.Id, row.Name, row.Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet());
    }

    internal static bool TryParse(string key, out string id, out string secret)
    {
        id = secret = "";
        if (!key.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var rest = key.AsSpan(Prefix.Length);
        var sep = rest.IndexOf('_');
        if (sep <= 0 || sep == rest.Length - 1 || rest.Length > 100) return false;
        id = rest[..sep].ToString();
        secret = rest[(sep + 1)..].ToString();
        return true;
    }

    private static string HashSecret(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static ApiKeyInfo ToInfo(ApiKeyRow r) =>
        new(r.Id, r.Name, r.Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries), r.CreatedAt, r.RevokedAt);
}
