using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Policy.Enforcement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bulwark.Core.Records.Preservation;

public static class PreservationRegistration
{
    /// <summary>
    /// Preservation: options (validated at start-up), the service, and its worker (items are recorded by the restriction writer). The job is added by <see cref="AddPreservationWorker"/>.
    /// </summary>
    public static IServiceCollection AddBulwarkPreservation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PreservationOptions>().Bind(configuration.GetSection(PreservationOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<PreservationOptions>>().Value);
        services.AddSingleton<PreservationService>();
        return services;
    }

    public static IServiceCollection AddPreservationWorker(this IServiceCollection services)
    {
        services.AddHostedService<PreservationWorker>();
        return services;
    }
}
