using Microsoft.Extensions.Configuration;

namespace Bulwark.Core.Pipeline;

/// <summary>
/// <c>Bulwark:Queue:Provider</c>: <c>Database</c> (default; the <c>work_items</c> table is the queue) or <c>JetStream</c>
/// (the table is an outbox relayed to NATS JetStream; <c>Bulwark:Queue:JetStream:*</c>, project <c>Bulwark.Queue.JetStream</c>).
/// </summary>
public static class QueueSettings
{
    public const string ProviderKey = "Bulwark:Queue:Provider";
    public const string Database = "Database";
    public const string JetStream = "JetStream";

    /// <summary>The configured provider, or a start-up error naming the bad value.</summary>
    public static string Provider(IConfiguration configuration)
    {
        var value = configuration[ProviderKey];
        if (string.IsNullOrWhiteSpace(value) || value.Equals(Database, StringComparison.OrdinalIgnoreCase)) return Database;
        if (value.Equals(JetStream, StringComparison.OrdinalIgnoreCase)) return JetStream;
        throw new InvalidOperationException($"{ProviderKey} is '{value}'; it must be '{Database}' or '{JetStream}'.");
    }
}
