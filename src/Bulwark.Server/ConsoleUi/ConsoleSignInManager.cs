using Bulwark.Core.Security.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.ConsoleUi;

/// <summary>
/// Identity's sign-in, with one change: an unknown user name costs the same password hash as a known one with a wrong
/// password. Identity returns at once when the name is unknown, so the time of a failed sign-in (about 100 ms of PBKDF2
/// against 3 ms) told which user names exist.
/// </summary>
public sealed class ConsoleSignInManager(
    UserManager<ConsoleUser> userManager, IHttpContextAccessor contextAccessor, IUserClaimsPrincipalFactory<ConsoleUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor, ILogger<SignInManager<ConsoleUser>> logger, IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ConsoleUser> confirmation, DummyPasswordHash dummy)
    : SignInManager<ConsoleUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        if (user is not null) return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        dummy.Verify(UserManager.PasswordHasher, password);
        return SignInResult.Failed;
    }
}

/// <summary>A password hash made once with the configured hasher (same algorithm and iterations), checked for unknown user names.</summary>
public sealed class DummyPasswordHash
{
    private static readonly ConsoleUser Nobody = new() { UserName = "nobody" };
    private string? _hash;

    public void Verify(IPasswordHasher<ConsoleUser> hasher, string password)
    {
        var hash = Volatile.Read(ref _hash);
        if (hash is null)
        {
            hash = hasher.HashPassword(Nobody, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));
            Interlocked.CompareExchange(ref _hash, hash, null);
        }
        _ = hasher.VerifyHashedPassword(Nobody, hash, password);
    }
}
