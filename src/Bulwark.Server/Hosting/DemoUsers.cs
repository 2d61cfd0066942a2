using System.Security.Cryptography;
using Bulwark.Core.Security;
using Bulwark.Core.Security.Users;

namespace Bulwark.Server.Hosting;

/// <summary>
/// One demo console user per role (<c>demo-moderator</c>, <c>demo-legal-officer</c>, …). Each start gives them fresh random
/// passwords, printed with the demo banner, so the printed ones always work and an old printout never does.
/// </summary>
public sealed class DemoUsers(IServiceProvider services)
{
    public const string Actor = "demo";

    public static string UserName(string role) => "demo-" + role;

    public async Task<IReadOnlyList<(string UserName, string Role, string Password)>> SeedAsync(CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<ConsoleUserService>();
        var seeded = new List<(string, string, string)>();
        foreach (var role in ConsoleRoles.All)
        {
            var name = UserName(role);
            // 18 random bytes: 24 characters of base64url, far beyond any guessing within the lockout limits.
            var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
            var outcome = await users.GetAsync(name, ct) is null
                ? await users.CreateAsync(name, password, [role], Actor, ct)
                : await users.SetPasswordAsync(name, password, Actor, ct);
            if (!outcome.Succeeded) throw new InvalidOperationException($"Demo user {name}: {string.Join(" ", outcome.Errors)}");
            await users.SetDisabledAsync(name, false, Actor, ct); // a demo user locked out on an earlier run works again
            seeded.Add((name, role, password));
        }
        return seeded;
    }

    public static string Format(IEnumerable<(string UserName, string Role, string Password)> users) =>
        string.Join(Environment.NewLine, users.Select(u => $"  {u.UserName,-26} password {u.Password}"));
}
