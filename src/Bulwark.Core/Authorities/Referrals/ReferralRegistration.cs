using Bulwark.Core.Actions.Webhooks;
using Bulwark.Core.Ingest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bulwark.Core.Authorities.Referrals;

public static class ReferralRegistration
{
    /// <summary>
    /// Referrals: options (validated at start-up), the recipients (the competent-authorities registry with the configured
    /// recipients beside it, <see cref="RegistryReferralRecipients"/>), the signing key, the service, delivery and its guarded HTTP client.
    /// </summary>
    public static IServiceCollection AddBulwarkReferrals(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReferralOptions>().Bind(configuration.GetSection(ReferralOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ReferralOptions>>().Value);
        services.TryAddSingleton<ConfiguredReferralRecipients>();
        services.TryAddSingleton<IReferralRecipients, RegistryReferralRecipients>();
        services.AddSingleton<ReferralSigningKey>();
        services.AddSingleton<ReferralService>();
        services.AddSingleton<ReferralDelivery>();
        // An authority's endpoint is reached like a webhook receiver: through the address guard (internal targets only when
        // allow-listed in Bulwark:Webhooks:AllowedInternal), no proxy, no redirects.
        services.AddHttpClient(ReferralDelivery.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var handler = GuardedConnector.CreateHandler(sp.GetRequiredService<WebhookAddressGuard>().Guard, sp.GetRequiredService<IHostResolver>(),
                    "referral endpoint host", "allow internal endpoints in Bulwark:Webhooks:AllowedInternal");
                handler.ConnectTimeout = TimeSpan.FromSeconds(10);
                return handler;
            });
        return services;
    }

    public static IServiceCollection AddReferralWorker(this IServiceCollection services) => services.AddHostedService<ReferralWorker>();
}
