using Bulwark.Core;
using Bulwark.Core.Signals;
using Bulwark.Core.Signals.Entities;
using Bulwark.Core.Signals.KnownContent;
using Bulwark.Core.Storage;
using Bulwark.Queue.JetStream;
using Bulwark.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Queue.JetStream;

/// <summary>
/// Item 3 of issue 22: a worker's PDQ index and entity matcher follow bank and registry changes made by another process
/// through a NATS subject, not only by polling the database. Polling is set to an hour here, so only the notice can explain
/// a refresh.
/// </summary>
public class ReferenceChangeNoticeTests
{
    private sealed class Node : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        public ServiceProvider Services { get; }
        public ReferenceChangeRelay Relay { get; }

        public Node(Dictionary<string, string?> settings)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var services = new ServiceCollection().AddLogging().AddBulwarkCore(configuration);
            JetStreamRegistration.AddBulwarkJetStreamQueue(services, configuration);
            Services = services.BuildServiceProvider();
            Relay = Services.GetRequiredService<ReferenceChangeRelay>();
        }

        public T Get<T>() where T : notnull => Services.GetRequiredService<T>();
        public Task StartAsync() => Relay.StartAsync(_stop.Token);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await Relay.StopAsync(CancellationToken.None);
            await Services.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_worker_follows_banks_and_the_registry_changed_by_another_process_through_change_notices(DatabaseProvider provider)
    {
        JetStreamHarness.RequireNats();
        await using var db = await TestDatabase.CreateAsync(provider);
        var js = JetStreamHarness.UniqueOptions();
        var settings = db.Settings();
        settings["Bulwark:Queue:Provider"] = "JetStream";
        settings["Bulwark:Queue:JetStream:Url"] = js.Url;
        settings["Bulwark:Queue:JetStream:Stream"] = js.Stream;
        settings["Bulwark:Queue:JetStream:Subject"] = js.Subject;
        settings["Bulwark:Queue:JetStream:Consumer"] = js.Consumer;
        settings["Bulwark:Queue:JetStream:ChangesSubject"] = $"changes.{js.Stream}";
        settings["Bulwark:KnownContent:IndexRefreshSeconds"] = "3600";
        settings["Bulwark:Entities:RefreshSeconds"] = "3600";
        await using (var migrate = new Node(settings)) await migrate.Get<DatabaseMigrator>().MigrateAsync();

        await using var api = new Node(settings);
        await using var worker = new Node(settings);
        Assert.IsType<NatsReferenceChangeNotices>(api.Get<IReferenceChangeNotices>());
        var index = worker.Get<PdqIndexService>();
        var screening = worker.Get<EntityScreeningService>();
        await index.EnsureLoadedAsync(default);
        await screening.EnsureLoadedAsync(default);
        await api.StartAsync();
        await worker.StartAsync();
        await worker.Relay.Subscribed.WaitAsync(Eventually.Deadline);
        Assert.Equal(0, index.Entries);

        // Banks: the API process adds a PDQ entry; the worker's index has it without polling.
        var banks = api.Get<BankService>();
        await banks.CreateBankAsync("followed", new BankSettings(), "test", default);
        var hash = new Matching.Hashing.PdqHash(5, 6, 7, 8);
        var added = await banks.AddEntriesAsync("followed", [new NewEntry("pdq", hash.ToString())], false, "test", default);
        Assert.True(await Eventually.UntilAsync(() => Task.FromResult(index.Entries == 1)), "the worker's PDQ index did not follow the bank change");
        var hits = new List<IndexHit>();
        index.Search(hash, 0, hits);
        Assert.Equal(added.Added[0].Id, Assert.Single(hits).Ref.EntryId);

        // Registry: the API process approves an invented entity; the worker's matcher finds it without polling.
        const string text = "a post praising Quelvor Addaranti Mestrak";
        Assert.Empty(screening.ScreenText(text));
        var registry = api.Get<EntityRegistry>();
        var created = await registry.CreateAsync(new EntityInput(EntityKinds.Individual, "Quelvor Addaranti Mestrak", EntityTiers.ViolentExtremistIndividual,
            "TEST: fictional", Notes: "TEST: invented for the test suite; not a real person."), "test", default);
        await registry.ApproveAsync(created.Id, "test designation", "test", default);
        Assert.True(await Eventually.UntilAsync(() => Task.FromResult(screening.ScreenText(text).Any(m => m.Entity.Id == created.Id))),
            "the worker's entity matcher did not follow the registry change");
        Assert.True(worker.Relay.Received >= 2);
        Assert.Equal(0, api.Relay.Received); // a process ignores its own notices (it applied the change already)
    }
}
