using Bulwark.Core.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bulwark.Queue.JetStream;

public static class JetStreamRegistration
{
    /// <summary>
    /// Replaces the database queue with JetStream (<c>Bulwark:Queue:Provider=JetStream</c>). Call after <c>AddBulwarkCore</c>.
    /// The relay runs in every process: ingest in any of them writes the outbox, and relays share rows by lease.
    /// </summary>
    public static IServiceCollection AddBulwarkJetStreamQueue(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JetStreamOptions>().Bind(configuration.GetSection(JetStreamOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<JetStreamOptions>>().Value);
        services.TryAddSingleton<JetStreamBroker>();
        services.Replace(ServiceDescriptor.Singleton<IWorkQueue, JetStreamWorkQueue>());
        services.Replace(ServiceDescriptor.Singleton<IQueueGauges, JetStreamQueueGauges>());
        services.AddSingleton<OutboxRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay>());
        // Bank and registry changes reach the other processes' PDQ index and entity matcher at once (polling stays as fallback).
        services.TryAddSingleton<NatsReferenceChangeNotices>();
        services.Replace(ServiceDescriptor.Singleton<Core.Signals.IReferenceChangeNotices>(sp => sp.GetRequiredService<NatsReferenceChangeNotices>()));
        services.AddSingleton<ReferenceChangeRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<ReferenceChangeRelay>());
        services.AddHealthChecks().AddCheck<BrokerHealthCheck>("broker", tags: ["ready"]);
        return services;
    }
}
