using Bulwark.Core;
using Bulwark.Core.Notices;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Notices;

/// <summary>
/// The public form's flood guards: the proof of work is checked (forged, expired, reused, unsolved) and the per-address limit
/// follows the clock; both are kept in the database, so two instances sharing it share the limit and the spent challenges.
/// </summary>
public class FormGuardTests
{
    private static readonly string SharedKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private static Dictionary<string, string?> Settings(int perAddress) => new()
    {
        ["Bulwark:Notices:ProofOfWorkBits"] = "8", ["Bulwark:Notices:FormNoticesPerAddress"] = $"{perAddress}", ["Bulwark:Notices:RateWindowMinutes"] = "60",
        ["Bulwark:Notices:ChallengeMinutes"] = "30", ["Bulwark:Notices:ChallengeKey"] = SharedKey,
    };

    /// <summary>A second instance: its own services and connection pool on the same database and clock.</summary>
    private static ServiceProvider SecondInstance(CoreServices core, Dictionary<string, string?> settings)
    {
        var all = core.Database.Settings();
        foreach (var (k, v) in settings) all[k] = v;
        return new ServiceCollection().AddSingleton<TimeProvider>(core.Clock).AddSingleton(new Random(7)).AddLogging()
            .AddBulwarkCore(new ConfigurationBuilder().AddInMemoryCollection(all).Build()).BuildServiceProvider();
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_solved_challenge_is_accepted_once_by_any_instance_and_everything_else_is_refused_with_its_reason(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider, Settings(3));
        await using var second = SecondInstance(core, Settings(3));
        var guard = core.Get<FormGuard>();
        var other = second.GetRequiredService<FormGuard>();
        var challenge = guard.NewChallenge();
        var counter = FormGuard.Solve(challenge, guard.Bits);
        Assert.Null(await guard.CheckAsync(challenge, counter, default));
        Assert.Equal("reused", await guard.CheckAsync(challenge, counter, default));
        Assert.Equal("reused", await other.CheckAsync(challenge, counter, default)); // spent for every instance
        var fromOther = other.NewChallenge();
        Assert.Null(await guard.CheckAsync(fromOther, FormGuard.Solve(fromOther, guard.Bits), default)); // a shared key: any instance checks it

        var next = guard.NewChallenge();
        var wrong = Enumerable.Range(0, 1000).Select(i => i.ToString()).First(c => !FormGuard.Solves(next, c, guard.Bits));
        Assert.Equal("unsolved", await guard.CheckAsync(next, wrong, default));
        Assert.Equal("missing", await guard.CheckAsync(next, null, default));
        var parts = next.Split('.');
        Assert.Equal("forged", await guard.CheckAsync($"{parts[0]}.{parts[1]}.{new string('0', 32)}", "1", default));
        // An attacker cannot move the issue time forward without the key.
        Assert.Equal("forged", await guard.CheckAsync($"{long.Parse(parts[0]) + 1}.{parts[1]}.{parts[2]}", "1", default));
        Assert.Equal("malformed", await guard.CheckAsync("abc", "1", default));

        var late = guard.NewChallenge();
        var lateCounter = FormGuard.Solve(late, guard.Bits);
        core.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal("expired", await guard.CheckAsync(late, lateCounter, default));
        // An instance with another key does not validate this one's challenges.
        var stranger = new FormGuard(new NoticeOptions { ProofOfWorkBits = 8 }, core.Clock, core.Get<IBulwarkDbFactory>());
        Assert.Equal("forged", await stranger.CheckAsync(guard.NewChallenge(), "1", default));
    }

    [Property(MaxTest = 500)]
    public Property Solves_equals_a_plain_count_of_leading_zero_bits() =>
        Prop.ForAll(Gen.Elements("a", "1.2.3", "17000000.abc.def", "").ToArbitrary(), Gen.Choose(0, 1_000_000).ToArbitrary(), Gen.Choose(0, 12).ToArbitrary(), (challenge, n, bits) =>
        {
            var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{challenge}:{n}"));
            var zeros = 0;
            foreach (var b in hash) { if (b == 0) { zeros += 8; continue; } zeros += System.Numerics.BitOperations.LeadingZeroCount((uint)b) - 24; break; }
            return FormGuard.Solves(challenge, n.ToString(), bits) == (zeros >= bits);
        });

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Each_address_gets_its_limit_per_window_across_instances(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider, Settings(3));
        await using var second = SecondInstance(core, Settings(3));
        var a = core.Get<FormGuard>();
        var b = second.GetRequiredService<FormGuard>();
        Assert.True(await a.TryCountAsync("198.51.100.7", default));
        Assert.True(await b.TryCountAsync("198.51.100.7", default));
        Assert.True(await a.TryCountAsync("198.51.100.7", default));
        Assert.False(await b.TryCountAsync("198.51.100.7", default)); // the fourth, on the other instance
        Assert.False(await a.TryCountAsync("198.51.100.7", default));
        Assert.True(await b.TryCountAsync("203.0.113.9", default)); // another address is counted on its own
        core.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.False(await a.TryCountAsync("198.51.100.7", default));
        core.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await b.TryCountAsync("198.51.100.7", default));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Concurrent_submissions_on_two_instances_are_counted_exactly(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider, Settings(10));
        await using var second = SecondInstance(core, Settings(10));
        var guards = new[] { core.Get<FormGuard>(), second.GetRequiredService<FormGuard>() };
        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Task.Run(() => guards[i % 2].TryCountAsync("192.0.2.44", default))));
        Assert.Equal(10, results.Count(r => r));
    }
}
