using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bulwark.Core.Signals.Exchange;

/// <summary>Exchanges' address guard, for configurations and tests that allow internal partners.</summary>
public sealed record ExchangeAddressGuard(AddressGuard Guard);

public static class ExchangeRegistration
{
    /// <summary>
    /// Partner exchanges: options (validated at start-up), the kinds, the guarded HTTP client, synchronisation, feedback,
    /// publication, and the two extractors (flood guard after the matchers, partner alerts). Register after the matchers.
    /// </summary>
    public static IServiceCollection AddBulwarkExchanges(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ExchangeOptions>().Bind(configuration.GetSection(ExchangeOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ExchangeOptions>>().Value);
        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        services.AddSingleton(sp => new ExchangeAddressGuard(new AddressGuard(sp.GetRequiredService<ExchangeOptions>().AllowedInternal)));
        services.AddSingleton<ISignalExchange, ThreatExchangeExchange>();
        services.AddSingleton<ISignalExchange, TcapExchange>();
        services.AddSingleton<ISignalExchange, FileDropExchange>();
        services.AddSingleton<ISignalExchange, BulwarkFeedExchange>();
        services.AddHttpClient(ExchangeSyncService.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var handler = GuardedConnector.CreateHandler(sp.GetRequiredService<ExchangeAddressGuard>().Guard, sp.GetRequiredService<IHostResolver>(),
                    "exchange partner host", "allow internal partners in Bulwark:Exchanges:AllowedInternal");
                handler.ConnectTimeout = TimeSpan.FromSeconds(10);
                return handler;
            });
        services.AddSingleton<ExchangeSyncService>();
        services.AddSingleton<ExchangeFeedback>();
        services.AddSingleton<ExchangeAdmin>();
        services.AddSingleton<ExchangePublisher>();
        services.AddSingleton<ISignalExtractor, ExchangeFloodGuard>();
        services.AddSingleton<ISignalExtractor, PartnerAlertExtractor>();
        return services;
    }

    public static IServiceCollection AddExchangeFetcher(this IServiceCollection services)
    {
        services.AddSingleton<ExchangeFetcher>();
        services.AddHostedService(sp => sp.GetRequiredService<ExchangeFetcher>());
        return services;
    }
}
