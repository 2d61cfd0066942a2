using Bulwark.Core.Authorities.Orders;
using Bulwark.Core.Authorities.Registry;
using Bulwark.Core.Reports.Transparency;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bulwark.Core.Authorities;

public static class AuthoritiesRegistration
{
    /// <summary>
    /// The authorities stage: the competent authorities registry, removal orders (options validated at start-up) and their
    /// records for the transparency reports (replacing the empty <see cref="NoAuthorityRecords"/>). The clock job is added
    /// by <see cref="AddAuthoritiesWorker"/>.
    /// </summary>
    public static IServiceCollection AddBulwarkAuthorities(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RemovalOrderOptions>().Bind(configuration.GetSection(RemovalOrderOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.AlertAfterMinutes < o.DeadlineMinutes, "Bulwark:Authorities:Orders:AlertAfterMinutes must be less than DeadlineMinutes")
            .Validate(o => o.ContentUrlTemplates.All(t => t.Contains("{id}", StringComparison.Ordinal)), "every Bulwark:Authorities:Orders:ContentUrlTemplates entry must contain {id}")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RemovalOrderOptions>>().Value);
        services.AddSingleton<AuthorityRegistry>();
        services.TryAddSingleton<IAuthorityDelivery, HttpsAuthorityDelivery>();
        services.AddSingleton<RemovalOrderService>();
        services.AddSingleton<Policy.Appeals.IAppealOutcomeEffect, OrderComplaints>();
        services.Replace(ServiceDescriptor.Singleton<IAuthorityRecords, RemovalOrderRecords>());
        return services;
    }

    public static IServiceCollection AddAuthoritiesWorker(this IServiceCollection services)
    {
        services.AddHostedService<RemovalOrderWorker>();
        return services;
    }
}
