using Bulwark.Core.Records.StatementsOfReasons;
using Bulwark.Core.Reports.Transparency;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bulwark.Core.Notices;

public static class NoticeRegistration
{
    /// <summary>
    /// Notice and action (DSA Art. 16, 22, 23(2)): options (validated at start-up), the service, the trusted flaggers registry,
    /// the form's flood guards, the notifier outbox and its channel (replace <see cref="INotifierChannel"/> to send through the
    /// platform's mailer), the notice source of statements and the notice counts of the transparency reports. Call before
    /// <c>AddBulwarkTransparency</c>, whose empty default it replaces.
    /// </summary>
    public static IServiceCollection AddBulwarkNotices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NoticeOptions>().Bind(configuration.GetSection(NoticeOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<NoticeOptions>>().Value);
        services.AddSingleton<ContentUrls>();
        services.AddSingleton<NotifierMessages>();
        services.AddSingleton<NotifierStanding>();
        services.AddSingleton<NoticeService>();
        services.AddSingleton<NoticeQueries>();
        services.AddSingleton<TrustedFlaggers>();
        services.AddSingleton<FormGuard>();
        services.TryAddSingleton<INotifierChannel, RecordedNotifierChannel>();
        services.AddSingleton<NotifierDelivery>();
        services.AddSingleton<NoticeWorker>();
        services.AddSingleton<IStatementNoticeSource, NoticeStatementSource>();
        services.AddSingleton<INoticeRecords, NoticeRecords>();
        return services;
    }

    public static IServiceCollection AddNoticeWorker(this IServiceCollection services)
    {
        services.AddHostedService(sp => sp.GetRequiredService<NoticeWorker>());
        return services;
    }
}
