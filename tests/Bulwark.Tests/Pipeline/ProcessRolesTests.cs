using Bulwark.Core.Pipeline;
using System.Net;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Bulwark.Tests.Pipeline;

public class ProcessRolesTests
{
    private static IConfiguration Config(string key, string? value) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();

    [Theory]
    [InlineData(null, true, true, true, true)]
    [InlineData("api", true, false, false, false)]
    [InlineData("worker", false, true, false, false)]
    [InlineData(" Worker , webhooks,scheduler ", false, true, true, true)]
    public void Roles_are_read_from_a_comma_separated_list_and_default_to_all(string? value, bool api, bool worker, bool webhooks, bool scheduler) =>
        Assert.Equal(new ProcessRoles(api, worker, webhooks, scheduler), ProcessRoles.From(Config(ProcessRoles.Key, value)));

    [Fact]
    public void An_unknown_role_stops_start_up_with_its_name()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ProcessRoles.From(Config(ProcessRoles.Key, "api,wrker")));
        Assert.Contains("'wrker'", error.Message);
        Assert.Contains("api, worker, webhooks, scheduler", error.Message);
    }

    [Theory]
    [InlineData(null, QueueSettings.Database)]
    [InlineData("database", QueueSettings.Database)]
    [InlineData("JetStream", QueueSettings.JetStream)]
    public void The_queue_provider_defaults_to_the_database(string? value, string expected) =>
        Assert.Equal(expected, QueueSettings.Provider(Config(QueueSettings.ProviderKey, value)));

    [Fact]
    public void An_unknown_queue_provider_stops_start_up_with_its_name() =>
        Assert.Contains("'Kafka'", Assert.Throws<InvalidOperationException>(() => QueueSettings.Provider(Config(QueueSettings.ProviderKey, "Kafka"))).Message);

    [Fact]
    public async Task A_worker_only_process_answers_health_and_metrics_and_nothing_else()
    {
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite, new() { [ProcessRoles.Key] = "worker" });
        foreach (var path in new[] { "/health/live", "/metrics" })
            Assert.Equal(HttpStatusCode.OK, (await host.Admin.GetAsync(path)).StatusCode);
        // Ready once its indexes have loaded.
        Assert.True(await Eventually.UntilAsync(async () => (await host.Admin.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK));
        // Valid key, valid routes on an API node: not found here.
        foreach (var path in new[] { "/api/v1/content/anything", "/api/v1/banks", "/openapi/v1.json", "/docs", "/report", "/research/v1/catalogue" })
            Assert.Equal(HttpStatusCode.NotFound, (await host.Admin.GetAsync(path)).StatusCode);
        var post = await host.Admin.PostAsync("/api/v1/content", new StringContent("{\"id\":\"x\",\"kind\":\"text\",\"text\":\"hello\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }

    [Fact]
    public async Task An_api_process_still_serves_the_api()
    {
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite, new() { [ProcessRoles.Key] = "api" });
        Assert.Equal(HttpStatusCode.OK, (await host.Admin.GetAsync("/api/v1/banks")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Admin.GetAsync("/openapi/v1.json")).StatusCode);
    }
}
