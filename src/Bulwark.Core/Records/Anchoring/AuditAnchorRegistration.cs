using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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
        // The anchor is configured by the operator (often an internal WORM store), so it is not behind the media/webhook
        // address guard; redirects are still not followed, and every attempt has the option's timeout.
        services.AddHttpClient(AuditCheckpointWriter.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, ConnectTimeout = TimeSpan.FromSeconds(10) });
        return services;
    }

    public static IServiceCollection AddAuditCheckpointWorker(this IServiceCollection services) =>
        services.AddHostedService<AuditCheckpointWorker>();
}
