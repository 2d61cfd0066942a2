using Bulwark.Core.Reports.Transparency;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;

namespace Bulwark.Tests.Reports.Transparency;

/// <summary>
/// The DSA report against the harmonised template of Implementing Regulation (EU) 2024/2835, Annex I: the sheets in the
/// template's order, and each sheet's column headers as providers' harmonised reports published in 2026 carry them (the
/// expected values below are written out from those files, not derived from Bulwark's code).
/// </summary>
public sealed class DsaTemplateTests
{
    private static readonly string[] Sheets =
    [
        "1_report_identification.csv", "2_categories_names.csv", "3_member_states_orders.csv", "4_notices.csv", "5_own_initiative_illegal.csv",
        "6_own_initiative_TC.csv", "7_appeals_and_recidivism.csv", "8_automated_means.csv", "9_human_resources.csv", "10_AMAR.csv", "11_qualitative.csv",
    ];

    private const string Lead = "Applicability,Service,Reporting period";
    private const string Long = Lead + ",Section,Indicator,Scope,Value";

    private static readonly string Orders = Lead + ",Category of illegal content,\"Description of the sub-category \"\"Other\"\"\",Scope,"
        + "Number of orders to act against illegal content received,Number of specific items of information included in the total number of orders to act against illegal content,"
        + "Median time to inform the authority of the receipt of the order to act against illegal content,Median time to give effect to the order to act against illegal content,"
        + "Number of orders to provide information,Median time to inform the authority of the receipt of the order to provide information,Median time to give effect to the order to provide information,"
        + "Contextual information on number of orders to act against illegal content received,"
        + "Contextual information on number of specific items of information included in the total number of orders to act against illegal content,"
        + "Contextual information on Median time to inform the authority of the receipt of the order to act against illegal content,"
        + "Contextual information on Median time to give effect to the order to act against illegal content,Contextual information on Number of orders to provide information,"
        + "Contextual information on Median time to inform the authority of the receipt of the order to provide information,"
        + "Contextual information on Median time to give effect to the order to provide information";

    private static readonly string[] NoticeColumns =
    [
        "Number of notices received", "Number of notices received from Trusted flaggers", "Number of specific items of information included in the total number of notices",
        "Number of specific items of information included in the total number of notices by Trusted Flaggers (Trusted Flagger notices)", "Median time to take action",
        "Median time to take action (Trusted Flagger notices)", "Number of actions taken on the basis of the law", "Number of actions taken on the basis of the law (Trusted Flagger notices)",
        "Number of actions taken on the basis of the terms and conditions of the service", "Number of actions taken on the basis of the terms and conditions of the service (Trusted Flagger notices)",
    ];

    private static readonly string[] MeasureColumns =
    [
        "Number of measures taken at the provider's own initiative", "Number of measures taken after detection with solely automated means", "Visibility restriction Removal",
        "Visibility restriction Disable", "Visibility restriction Demoted", "Visibility restriction Age restricted", "Visibility restriction Interaction restricted",
        "Visibility restriction Labelled", "Visibility restriction Other", "Monetary restriction Suspension", "Monetary restriction Termination", "Monetary restriction Other",
        "Provision of the service Suspension", "Provision of the service Termination", "Account restriction Suspension", "Account restriction Termination",
    ];

    private static string Measures(string category) => Lead + "," + category + ",\"Description of the sub-category \"\"Other\"\"\"," + string.Join(',', MeasureColumns) + ","
        + string.Join(',', MeasureColumns.Select(c => "Contextual Information on " + c));

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_report_has_the_template_sheets_in_order_with_their_column_headers(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider, KnownHistory.Settings);
        await new KnownHistory(core).WriteQuarterAsync();
        await core.Get<TransparencyRollups>().RunAsync(default);
        var dsa = await core.Get<TransparencyReports>().BuildAsync(ReportKinds.Dsa, new ReportPeriod(new DateOnly(2026, 4, 1), new DateOnly(2026, 6, 30)), "Example Video", false, default);

        Assert.Equal(Sheets, dsa.Files.Select(f => f.Name));
        string Header(string name) => System.Text.Encoding.UTF8.GetString(dsa.Files.Single(f => f.Name == name).Content).Split("\r\n")[0];
        Assert.Equal("Applicability,Service,Indicator,Value", Header(Sheets[0]));
        Assert.Equal("Category label,Category description,Category of illegal content / incompatible with the terms and conditions,Contextual information", Header(Sheets[1]));
        Assert.Equal(Orders, Header(Sheets[2]));
        Assert.Equal(Lead + ",Category of illegal content,\"Description of the sub-category \"\"Other\"\"\"," + string.Join(',', NoticeColumns) + ","
            + string.Join(',', NoticeColumns.Select(c => "Contextual information on " + c)), Header(Sheets[3]));
        Assert.Equal(Measures("Category of illegal content"), Header(Sheets[4]));
        Assert.Equal(Measures("Category of incompatibility with the provider's terms and conditions"), Header(Sheets[5]));
        Assert.Equal(Long + ",Contextual Information", Header(Sheets[6]));
        Assert.Equal(Long + ",Contextual Information", Header(Sheets[7]));
        Assert.Equal(Long + ",Contextual information", Header(Sheets[8]));
        Assert.Equal(Long, Header(Sheets[9]));
        Assert.Equal(Lead + ",Indicator,Value", Header(Sheets[10]));

        // The category tree: sheet 2 lists it; the category tables repeat its codes in the same order (15 categories in table 6, 14 plus "not specified" in 3 and 4).
        var names = ReconciliationTests.Table(dsa, "2_").Rows.Select(r => r["Category of illegal content / incompatible with the terms and conditions"]).ToList();
        Assert.Equal(["TOTAL", "STATEMENT_CATEGORY_ANIMAL_WELFARE", "KEYWORD_ANIMAL_HARM", "KEYWORD_UNLAWFUL_SALE_ANIMALS", "KEYWORD_OTHER", "STATEMENT_CATEGORY_CONSUMER_INFORMATION"], names[..6]);
        Assert.Equal(["STATEMENT_CATEGORY_OTHER_VIOLATION_TC", "KEYWORD_ADULT_SEXUAL_MATERIAL"], names.SkipWhile(n => n != "STATEMENT_CATEGORY_OTHER_VIOLATION_TC").Take(2));
        Assert.Equal(["STATEMENT_CATEGORY_NOT_SPECIFIED_ORDER", "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE"], names[^2..]);
        Assert.Equal(17, names.Count(n => n.StartsWith("STATEMENT_CATEGORY_", StringComparison.Ordinal)));
        List<string> Codes(string prefix, string column) => ReconciliationTests.Table(dsa, prefix).Rows.Select(r => r[column]).ToList();
        Assert.Equal(names[..^2], Codes("6_", "Category of incompatibility with the provider's terms and conditions"));
        var illegal = names.TakeWhile(n => n != "STATEMENT_CATEGORY_OTHER_VIOLATION_TC").ToList();
        Assert.Equal(illegal, Codes("5_", "Category of illegal content"));
        Assert.Equal([.. illegal, "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE"], Codes("4_", "Category of illegal content"));
        Assert.Equal([.. illegal, "STATEMENT_CATEGORY_NOT_SPECIFIED_ORDER"], ReconciliationTests.Table(dsa, "3_").Rows.Where(r => r["Scope"] == "TOTAL").Select(r => r["Category of illegal content"]));
        // Every row has exactly the header's cells, and carries the period as the template writes it.
        Assert.All(dsa.Files, file =>
        {
            var lines = ReconciliationTests.ParseLines(System.Text.Encoding.UTF8.GetString(file.Content)).Where(l => l.Count > 1).ToList();
            Assert.All(lines, l => Assert.Equal(lines[0].Count, l.Count));
        });
        Assert.All(Sheets.Skip(2), name => Assert.All(ReconciliationTests.Table(dsa, name[..(name.IndexOf('_') + 1)]).Rows, r => Assert.Equal("2026-04-01/2026-06-30", r["Reporting period"])));
    }
}
