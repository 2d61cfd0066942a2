using Bulwark.Core;
using Bulwark.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bulwark.Tests.Infrastructure;

/// <summary>The core services on a migrated test database, with a fake clock and a seeded random source.</summary>
public sealed class CoreServices : IAsyncDisposable
{
    public TestDatabase Database { get; }
    public ServiceProvider Services { get; }
    public FakeTimeProvider Clock { get; }

    private CoreServices(TestDatabase db, ServiceProvider services, FakeTimeProvider clock)
    {
        Database = db;
        Services = services;
        Clock = clock;
    }

    /// <param name="configure">Registrations made before the core's, so they replace its TryAdd defaults (e.g. the host resolver).</param>
    public static async Task<CoreServices> CreateAsync(DatabaseProvider provider, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var db = await TestDatabase.CreateAsync(provider);
        var all = db.Settings();
        foreach (var (k, v) in settings ?? []) all[k] = v;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero));
        var collection = new ServiceCollection();
        configure?.Invoke(collection);
        var services = collection
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton(new Random(42))
            .AddLogging()
            .AddBulwarkCore(configuration)
            .BuildServiceProvider();
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        return new CoreServices(db, services, clock);
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Database.DisposeAsync();
    }
}
