using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Bulwark.Core.Security;
using Bulwark.Server.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer bwk_…</c> or <c>X-Api-Key: bwk_…</c>. A valid key is cached for a few seconds
/// so a busy ingest client does not cost a database read per request; a revocation takes effect within that time.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyService keys,
    IMemoryCache cache) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string ScopeClaim = "scope";
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? presented = null;
        if (Request.Headers.Authorization.ToString() is { Length: > 7 } auth && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            presented = auth[7..].Trim();
        else if (Request.Headers.TryGetValue("X-Api-Key", out var header))
            presented = header.ToString().Trim();
        if (string.IsNullOrEmpty(presented)) return AuthenticateResult.NoResult();

        var cacheKey = "apikey:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
        if (!cache.TryGetValue(cacheKey, out ApiCaller? caller))
        {
            caller = await keys.ValidateAsync(presented, Context.RequestAborted);
            cache.Set(cacheKey, caller, CacheFor);
        }
        if (caller is null) return AuthenticateResult.Fail("The API key is not valid or has been revoked.");
        var claims = new List<Claim> { new(ClaimTypes.Name, caller.KeyId), new("key_name", caller.Name) };
        claims.AddRange(caller.Scopes.Select(s => new Claim(ScopeClaim, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = "Bearer";
        var detail = result.Failure?.Message ?? "An API key is required: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.";
        await Problems.Make(401, Problems.Unauthenticated, "Authentication required.", detail).ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var needed = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>()
            .Select(a => a.Policy).FirstOrDefault(p => p is not null);
        await Problems.Make(403, Problems.Forbidden, "Not allowed.",
            needed is null ? "This API key lacks the scope this operation needs." : $"This API key lacks the '{needed}' scope this operation needs.").ExecuteAsync(Context);
    }
}
