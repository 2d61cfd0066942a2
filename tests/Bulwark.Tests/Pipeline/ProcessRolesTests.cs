using Bulwark.Core.Pipeline;
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
}
