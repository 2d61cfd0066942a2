using System.Text;
using Bulwark.Core.Signals.Entities.Importers;

namespace Bulwark.Tests.Entities;

public class EuSanctionsParserTests
{
    // Follows the structure of the published EU consolidated list (xmlFullSanctionsList_1_1).
    private const string Sample = """
        <?xml version="1.0" encoding="UTF-8"?>
        <export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2025-11-20T10:00:00.000+01:00" globalFileId="123">
          <sanctionEntity designationDetails="" unitedNationId="QDi.299" euReferenceNumber="EU.1234.56" logicalId="13">
            <remark>UN ID: QDi.299.
            Leader of ISIL.</remark>
            <regulation regulationType="amendment" organisationType="commission" publicationDate="2014-10-10" entryIntoForceDate="2014-10-11" numberTitle="1057/2014 (OJ L293)" programme="TAQA" logicalId="200">
              <publicationUrl>http://eur-lex.europa.eu/x</publicationUrl>
            </regulation>
            <regulation regulationType="amendment" organisationType="commission" publicationDate="2019-02-01+01:00" entryIntoForceDate="2019-02-02" numberTitle="2019/200" programme="TAQA" logicalId="201"/>
            <subjectType code="person" classificationCode="P"/>
            <nameAlias firstName="Ibrahim" middleName="Awwad Ibrahim Ali" lastName="al-Badri" wholeName="Ibrahim Awwad Ibrahim Ali al-Badri" function="" gender="M" title="" nameLanguage="" strong="true" regulationLanguage="en" logicalId="300">
              <regulationSummary regulationType="amendment" publicationDate="2014-10-10" numberTitle="1057/2014" publicationUrl="x"/>
            </nameAlias>
            <nameAlias firstName="" middleName="" lastName="" wholeName="Abu Du'a" gender="M" nameLanguage="" strong="false" regulationLanguage="en" logicalId="301"/>
            <nameAlias firstName="" lastName="" wholeName="إبراهيم عواد إبراهيم علي البدري" nameLanguage="AR" strong="true" regulationLanguage="en" logicalId="302"/>
            <nameAlias firstName="Abu Bakr" middleName="" lastName="al-Baghdadi" wholeName="" strong="true" logicalId="303"/>
            <citizenship region="" countryIso2Code="IQ" countryDescription="IRAQ" regulationLanguage="en" logicalId="400"/>
            <birthdate circa="false" calendarType="GREGORIAN" city="Samarra" birthdate="1971-07-01" logicalId="500"/>
          </sanctionEntity>
          <sanctionEntity designationDetails="" unitedNationId="" euReferenceNumber="EU.27.28" logicalId="14">
            <regulation publicationDate="2002-05-27" programme="TAQA" logicalId="202"/>
            <subjectType code="enterprise" classificationCode="E"/>
            <nameAlias wholeName="Al-Qaida" strong="true" nameLanguage="" logicalId="304"/>
            <nameAlias wholeName="The Base" strong="true" nameLanguage="" logicalId="305"/>
            <futureElement/>
          </sanctionEntity>
        </export>
        """;

    private static ListParseResult Parse(string xml) => EuSanctionsParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(xml)));

    [Fact]
    public void Reads_persons_and_enterprises()
    {
        var result = Parse(Sample);

        Assert.Empty(result.Issues);
        Assert.Equal(2, result.Records.Count);
        var person = result.Records[0];
        Assert.Equal("eu", person.Source);
        Assert.Equal("13", person.Key);
        Assert.Equal("EU.1234.56", person.ReferenceNumber);
        Assert.Equal(ListedKind.Individual, person.Kind);
        Assert.Equal("TAQA", person.ListType);
        Assert.Equal("Ibrahim Awwad Ibrahim Ali al-Badri", person.PrimaryName);
        Assert.Equal(new DateOnly(2014, 10, 10), person.ListedOn);
        Assert.Equal([new DateOnly(2019, 2, 1)], person.LastUpdated);
        Assert.StartsWith("UN ID: QDi.299.", person.Comments, StringComparison.Ordinal);
        Assert.Equal(
            [
                new ListedName("Ibrahim Awwad Ibrahim Ali al-Badri", NameGrade.Strong),
                new ListedName("Abu Du'a", NameGrade.Weak),
                new ListedName("إبراهيم عواد إبراهيم علي البدري", NameGrade.Strong, OriginalScript: true),
                new ListedName("Abu Bakr al-Baghdadi", NameGrade.Strong),
            ],
            person.Names);

        var enterprise = result.Records[1];
        Assert.Equal(ListedKind.Entity, enterprise.Kind);
        Assert.Equal("Al-Qaida", enterprise.PrimaryName);
        Assert.Equal(2, enterprise.Names.Count);
        Assert.Null(enterprise.Comments);
    }

    [Fact]
    public void Duplicates_and_unknown_subject_types_are_errors()
    {
        var xml = """
            <export xmlns="http://eu.europa.ec/fpi/fsd/export">
              <sanctionEntity euReferenceNumber="EU.1" logicalId="1"><subjectType code="person"/><nameAlias wholeName="A" strong="true"/></sanctionEntity>
              <sanctionEntity euReferenceNumber="EU.2" logicalId="1"><subjectType code="person"/><nameAlias wholeName="B" strong="true"/></sanctionEntity>
              <sanctionEntity euReferenceNumber="EU.1" logicalId="3"><subjectType code="person"/><nameAlias wholeName="C" strong="true"/></sanctionEntity>
              <sanctionEntity euReferenceNumber="EU.4" logicalId="4"><subjectType code="vessel"/><nameAlias wholeName="D" strong="true"/></sanctionEntity>
              <sanctionEntity euReferenceNumber="EU.5" logicalId="5"><subjectType code="enterprise"/></sanctionEntity>
            </export>
            """;
        var result = Parse(xml);

        var errors = result.Errors.ToList();
        Assert.Equal(4, errors.Count);
        Assert.Contains("Duplicate logicalId 1", errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(3, errors[0].Line);
        Assert.Contains("Duplicate euReferenceNumber EU.1", errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("vessel", errors[2].Message, StringComparison.Ordinal);
        Assert.Contains("without a name", errors[3].Message, StringComparison.Ordinal);
        Assert.Single(result.Records);
    }

    [Fact]
    public void Dtd_is_refused()
    {
        var xml = """<?xml version="1.0"?><!DOCTYPE export [<!ENTITY a "aaaa">]><export xmlns="http://eu.europa.ec/fpi/fsd/export">&a;</export>""";
        var ex = Assert.Throws<ListFormatException>(() => Parse(xml));
        Assert.Contains("DTD", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_file_names_the_line()
    {
        var cut = Sample[..Sample.IndexOf("<citizenship", StringComparison.Ordinal)];
        var ex = Assert.Throws<ListFormatException>(() => Parse(cut));
        Assert.StartsWith("Malformed XML at line", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Line >= 17, ex.Message);
    }
}
