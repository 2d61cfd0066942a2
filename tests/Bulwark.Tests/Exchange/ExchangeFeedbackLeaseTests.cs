using Bulwark.Core;
using Bulwark.Core.Signals.Exchange;
using Bulwark.Core.Signals.KnownContent;
using Bulwark.Core.Storage;
using Bulwark.Server.Hosting.DemoPartners;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Exchange;

/// <summary>Opinions are claimed in the database before they are sent: two processes sending at once send each opinion once.</summary>
public class ExchangeFeedbackLeaseTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Two_senders_sharing_the_database_send_each_opinion_exactly_once(DatabaseProvider provider)
    {
        var tcap = await FakeTcap.StartAsync();
        await using var _ = tcap.Server;
        var settings = new Dictionary<string, string?>
        {
            ["Bulwark:Exchanges:WorkerEnabled"] = "false", ["Bulwark:Exchanges:AllowedInternal:0"] = "127.0.0.1", ["Bulwark:Exchanges:FeedbackBatchSize"] = "5",
            ["Bulwark:Exchanges:Partners:0:Name"] = "tcap", ["Bulwark:Exchanges:Partners:0:Kind"] = ExchangeKinds.Tcap, ["Bulwark:Exchanges:Partners:0:Url"] = tcap.Server.Url,
            ["Bulwark:Exchanges:Partners:0:Bank"] = "tcap-hashes", ["Bulwark:Exchanges:Partners:0:Username"] = FakeTcap.Username,
            ["Bulwark:Exchanges:Partners:0:Password"] = FakeTcap.Password, ["Bulwark:Exchanges:Partners:0:Alerts"] = "false",
        };
        const int opinions = 12;
        for (var i = 0; i < opinions; i++) tcap.Add(i + 1, "MD5", KnownSignalTypes.Md5Hex($"synthetic clip {i}"));
        await using var core = await CoreServices.CreateAsync(provider, settings);
        Assert.True((await core.Get<ExchangeSyncService>().SyncAsync("tcap", "tester", default)).Ok);
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            var now = core.Clock.GetUtcNow();
            for (var i = 0; i < opinions; i++)
                db.Set<ExchangeFeedbackRow>().Add(new ExchangeFeedbackRow { Exchange = "tcap", ItemId = $"{i + 1}", Opinion = Opinions.FalsePositive, ReviewCaseId = i + 1, CreatedAt = now, NextAttemptAt = now });
            await db.SaveChangesAsync();
        }

        // A second process: its own services and connection pool on the same database, the same clock.
        var all = core.Database.Settings();
        foreach (var (k, v) in settings) all[k] = v;
        await using var other = new ServiceCollection().AddSingleton<TimeProvider>(core.Clock).AddSingleton(new Random(7)).AddLogging()
            .AddBulwarkCore(new ConfigurationBuilder().AddInMemoryCollection(all).Build()).BuildServiceProvider();
        var senders = new[] { core.Get<ExchangeFeedback>(), other.GetRequiredService<ExchangeFeedback>() };

        // The partner is slow, so both senders are in flight together on every round.
        tcap.FeedbackDelay = TimeSpan.FromMilliseconds(100);
        var total = 0;
        for (var round = 0; round < opinions && total < opinions; round++)
        {
            var sent = await Task.WhenAll(senders.Select(s => Task.Run(() => s.SendDueAsync(default))));
            total += sent.Sum();
        }
        Assert.Equal(opinions, total);
        Assert.Equal(opinions, tcap.Feedback.Count);
        Assert.Equal(opinions, tcap.Feedback.Select(f => f.Id).Distinct().Count());
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            var rows = await db.Set<ExchangeFeedbackRow>().AsNoTracking().ToListAsync();
            Assert.All(rows, r => Assert.Equal((FeedbackStatus.Sent, 1, null), (r.Status, r.Attempts, r.LeaseOwner)));
        }
    }
}
