using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bulwark.Core.Reports.Transparency;

public static class TransparencyRegistration
{
    /// <summary>
    /// Reports: options (validated at start-up), the day folder, rollups, report builders and publishing. Orders and notices
    /// are read through <see cref="IAuthorityRecords"/> and <see cref="INoticeRecords"/>; their stages replace the empty
    /// defaults registered here (TryAdd). The rollup job is added by <see cref="AddTransparencyWorker"/>.
    /// </summary>
    public static IServiceCollection AddBulwarkTransparency(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TransparencyOptions>().Bind(configuration.GetSection(TransparencyOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<TransparencyOptions>>().Value);
        services.TryAddSingleton<IAuthorityRecords, NoAuthorityRecords>();
        services.TryAddSingleton<INoticeRecords, NoNoticeRecords>();
        services.AddSingleton<DayFolder>();
        services.AddSingleton<TransparencyRollups>();
        services.AddSingleton<ChromiumPdf>();
        services.AddSingleton<QualitativeTexts>();
        services.AddSingleton<TransparencyReports>();
        services.AddSingleton<SyntheticHistory>();
        return services;
    }

    public static IServiceCollection AddTransparencyWorker(this IServiceCollection services)
    {
        services.AddHostedService<TransparencyRollupWorker>();
        return services;
    }
}
