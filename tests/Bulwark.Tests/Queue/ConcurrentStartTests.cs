using Bulwark.Core;
using Microsoft.Extensions.Configuration;
using Bulwark.Core.Records;
using Bulwark.Core.Security;
using Bulwark.Core.Security.Users;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Queue;

/// <summary>
/// A fresh scale-out deployment starts all its processes at once: start-up (migrations, console roles) must be idempotent
/// under that concurrency, not only when run again later.
/// </summary>
public class ConcurrentStartTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Seeding_the_console_roles_from_many_scopes_at_once_creates_each_role_once_and_audits_it_once(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        const int rounds = 5, starters = 8;
        for (var round = 0; round < rounds; round++)
        {
            using var go = new SemaphoreSlim(0, starters);
            var runs = Enumerable.Range(0, starters).Select(_ => Task.Run(async () =>
            {
                await using var scope = core.Services.CreateAsyncScope();
                var users = scope.ServiceProvider.GetRequiredService<ConsoleUserService>();
                await go.WaitAsync();
                await users.EnsureRolesAsync(default);
            })).ToList();
            go.Release(starters);
            await Task.WhenAll(runs); // before the fix, PostgreSQL failed here with a unique violation on RoleNameIndex

            await using var db = core.Get<IBulwarkDbFactory>().Create();
            var names = await db.Roles.Select(r => r.Name!).ToListAsync();
            Assert.Equal(ConsoleRoles.All.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
            Assert.Equal(round + 1, await db.AuditEntries.CountAsync(e => e.Action == "console.roles_seeded"));
            // Start the next round from an empty role table again (a fresh deployment).
            await db.Roles.ExecuteDeleteAsync();
        }
        Assert.True((await core.Get<AuditVerifier>().VerifyAsync(default)).Intact);
    }

    [Fact]
    public async Task Three_processes_started_at_once_on_one_fresh_PostgreSQL_database_all_come_up()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        var settings = db.Settings(); // not migrated: each process migrates and seeds at start-up, all at the same moment
        using var api = new ServerProcess(new(settings) { ["Bulwark:Roles"] = "api,scheduler,webhooks" });
        using var worker1 = new ServerProcess(new(settings) { ["Bulwark:Roles"] = "worker" });
        using var worker2 = new ServerProcess(new(settings) { ["Bulwark:Roles"] = "worker" });
        await Task.WhenAll(api.StartAsync(), worker1.StartAsync(), worker2.StartAsync());

        await using var core = new ServiceCollection().AddLogging()
            .AddBulwarkCore(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();
        await using var read = core.GetRequiredService<IBulwarkDbFactory>().Create();
        var names = await read.Roles.Select(r => r.Name!).ToListAsync();
        Assert.Equal(ConsoleRoles.All.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
        Assert.Equal(1, await read.AuditEntries.CountAsync(e => e.Action == "console.roles_seeded"));
        Assert.Empty(await read.Database.GetPendingMigrationsAsync());
    }
}
