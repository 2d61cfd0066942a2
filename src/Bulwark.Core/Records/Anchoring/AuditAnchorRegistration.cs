using Bulwark.Core.Ingest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bulwark.Core.Records.Anchoring;

public static class AuditAnchorRegistration
{
    /// <summary>Options (validated at start-up), the signing key in the key ring, the checkpoint writer and the anchored verifier.</summary>
    public static IServiceCollection AddBulwarkAuditAnchoring(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuditAnchorOptions>().Bind(configuration.GetSection(AuditAnchorOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AuditAnchorOptions>>().Value);
        services.AddSingleton<AuditSigningKey>();
        services.AddSingleton<AuditCheckpointWriter>();
        services.AddSingleton<AuditAnchorVerifier>();
        // Every outbound connection goes through the address guard (issue 16): an anchor that is an internal WORM store must
        // be allow-listed in Bulwark:Audit:Anchor:AllowedInternal. No proxy, no redirects; every attempt has the option's timeout.
        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        services.AddHttpClient(AuditCheckpointWriter.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var handler = GuardedConnector.CreateHandler(new AddressGuard(sp.GetRequiredService<AuditAnchorOptions>().AllowedInternal), sp.GetRequiredService<IHostResolver>(),
                    "anchor host", "allow an internal anchor in Bulwark:Audit:Anchor:AllowedInternal");
                handler.UseCookies = false;
                handler.ConnectTimeout = TimeSpan.FromSeconds(10);
                return handler;
            });
        return services;
    }

    public static IServiceCollection AddAuditCheckpointWorker(this IServiceCollection services) =>
        services.AddHostedService<AuditCheckpointWorker>();
}
