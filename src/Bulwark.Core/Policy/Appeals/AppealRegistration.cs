using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bulwark.Core.Policy.Appeals;

public static class AppealRegistration
{
    /// <summary>Appeals: <see cref="AppealOptions"/> (validated at start-up) and <see cref="AppealService"/>.</summary>
    public static IServiceCollection AddBulwarkAppeals(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AppealOptions>().Bind(configuration.GetSection(AppealOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AppealOptions>>().Value);
        services.AddSingleton<AppealService>();
        return services;
    }
}
