using Bulwark.Core.Security;
using Bulwark.Core.Security.Users;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bulwark.Tests.Security;

/// <summary>Sign-in must not tell real user names from unknown ones by how long it takes: both cost one password hash.</summary>
public class ConsoleSignInTests
{
    private sealed class CountingHasher(IPasswordHasher<ConsoleUser> inner) : IPasswordHasher<ConsoleUser>
    {
        private int _verifications;
        public int Verifications => Volatile.Read(ref _verifications);
        public string HashPassword(ConsoleUser user, string password) => inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(ConsoleUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    [Fact]
    public async Task An_unknown_user_name_costs_the_same_password_hash_as_a_wrong_password()
    {
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite, services: s => s.AddSingleton<IPasswordHasher<ConsoleUser>>(sp =>
            new CountingHasher(new PasswordHasher<ConsoleUser>(sp.GetRequiredService<IOptions<PasswordHasherOptions>>()))));
        var hasher = (CountingHasher)host.Services.GetRequiredService<IPasswordHasher<ConsoleUser>>();
        using (var scope = host.Services.CreateScope())
            Assert.True((await scope.ServiceProvider.GetRequiredService<ConsoleUserService>()
                .CreateAsync("maria", "a long enough password 1", [ConsoleRoles.Moderator], "test", default)).Succeeded);

        async Task<(SignInResult Result, int Hashes)> SignInAsync(string user, string password)
        {
            using var scope = host.Services.CreateScope();
            var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<ConsoleUser>>();
            signIn.Context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
            var before = hasher.Verifications;
            var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
            return (result, hasher.Verifications - before);
        }

        var known = await SignInAsync("maria", "not the password at all");
        var unknown = await SignInAsync("nobody-by-this-name", "not the password at all");
        Assert.False(known.Result.Succeeded);
        Assert.False(unknown.Result.Succeeded);
        Assert.Equal(1, known.Hashes);
        Assert.Equal(known.Hashes, unknown.Hashes);
        Assert.False(unknown.Result.IsLockedOut);
    }
}
