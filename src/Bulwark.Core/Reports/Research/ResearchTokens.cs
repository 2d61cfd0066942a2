using System.Security.Cryptography;
using System.Text;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Reports.Research;

/// <summary>A validated researcher: the member and their project as it stands now.</summary>
public sealed record ResearchCaller(long MemberId, ResearchProjectRow Project, DateTimeOffset TokenExpiresAt);

public sealed record IssuedToken(string AccessToken, int ExpiresIn);

/// <summary>
/// OAuth 2.0 client credentials (RFC 6749 §4.4) for researchers: each member has a client id and secret; a token is valid for
/// <see cref="ResearchOptions.TokenSeconds"/> (two hours) unless revoked. Entirely separate from API keys and console sessions:
/// its own tables, its own token prefix, its own check. Only SHA-256 hashes of secrets and tokens are stored.
/// </summary>
public sealed class ResearchTokens(IBulwarkDbFactory dbs, ResearchOptions options, TimeProvider clock)
{
    public const string TokenPrefix = "brt_";
    public const string ClientPrefix = "brc_";
    public const string SecretPrefix = "brs_";

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    public static string NewSecret(string prefix, int bytes = 32) =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Issues a token, or says why not (an OAuth error code and description).</summary>
    public async Task<(IssuedToken? Token, string? Error, string? Description)> IssueAsync(string clientId, string clientSecret, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var member = await db.Set<ResearchMemberRow>().FirstOrDefaultAsync(m => m.ClientId == clientId, ct);
        if (member is null || member.RevokedAt is not null || !FixedEquals(member.SecretHash, Hash(clientSecret)))
            return (null, "invalid_client", "Unknown client_id, wrong client_secret, or revoked credentials.");
        var project = await db.Set<ResearchProjectRow>().AsNoTracking().FirstAsync(p => p.Id == member.ProjectId, ct);
        var now = clock.GetUtcNow();
        if (ActiveProblem(project, now) is { } problem) return (null, "unauthorized_client", problem);
        var token = NewSecret(TokenPrefix);
        db.Add(new ResearchTokenRow
        {
            TokenHash = Hash(token), MemberId = member.Id, ProjectId = project.Id, IssuedAt = now, ExpiresAt = now.AddSeconds(options.TokenSeconds),
        });
        await db.SaveChangesAsync(ct);
        return (new IssuedToken(token, options.TokenSeconds), null, null);
    }

    /// <summary>The caller behind a bearer token, or an error message (expired, revoked, unknown).</summary>
    public async Task<(ResearchCaller? Caller, string? Error)> ValidateAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || !token.StartsWith(TokenPrefix, StringComparison.Ordinal))
            return (null, "Missing or malformed access token: send 'Authorization: Bearer <access_token>' from POST /research/v1/oauth/token.");
        await using var db = dbs.Create();
        var hash = Hash(token);
        // The token, its member and its project in one round trip (every research request starts here).
        var found = await (
            from t in db.Set<ResearchTokenRow>()
            where t.TokenHash == hash
            join m in db.Set<ResearchMemberRow>() on t.MemberId equals m.Id
            join p in db.Set<ResearchProjectRow>() on t.ProjectId equals p.Id
            select new { Token = t, MemberRevokedAt = m.RevokedAt, Project = p }).AsNoTracking().FirstOrDefaultAsync(ct);
        if (found is null) return (null, "The access token is not known.");
        var row = found.Token;
        if (row.RevokedAt is not null) return (null, "The access token has been revoked.");
        if (row.ExpiresAt <= clock.GetUtcNow()) return (null, "The access token has expired; request a new one.");
        if (found.MemberRevokedAt is not null) return (null, "The member's credentials have been revoked.");
        return (new ResearchCaller(row.MemberId, found.Project, row.ExpiresAt), null);
    }

    /// <summary>Revokes one token (by its value); true when it existed and was active.</summary>
    public async Task<bool> RevokeAsync(string token, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var hash = Hash(token);
        var now = clock.GetUtcNow();
        return await db.Set<ResearchTokenRow>().Where(t => t.TokenHash == hash && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct) > 0;
    }

    /// <summary>Why a project may not be used now, or null when it is approved and not past its end date.</summary>
    public static string? ActiveProblem(ResearchProjectRow project, DateTimeOffset now)
    {
        if (project.Status != ProjectStatus.Approved) return $"The project is {project.Status}, not approved.";
        if (project.EndDate is { } end && DateOnly.FromDateTime(now.UtcDateTime) > end) return $"The project ended on {end:yyyy-MM-dd}.";
        return null;
    }

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}
