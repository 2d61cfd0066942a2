using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bulwark.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SearchIndexOffIngest : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "index_gaps",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    id = table.Column<long>(type: "bigint", nullable: false),
                    noted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_index_gaps", x => new { x.name, x.id });
                });

            migrationBuilder.CreateTable(
                name: "index_watermarks",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    last_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_index_watermarks", x => x.name);
                });

            // The research read model's watermark and gaps move to the shared tables (IdWatermark), then the console search
            // index's insert triggers are dropped in favour of ContentSearchIndexer.
            migrationBuilder.Sql(Bulwark.Core.Reports.Research.ResearchIndexer.MoveToSharedWatermark);
            migrationBuilder.DropTable(
                name: "research_index_gaps");

            migrationBuilder.DropTable(
                name: "research_index_state");

            migrationBuilder.Sql(Bulwark.Core.Actions.Review.Search.ContentSearchIndex.PostgresOffIngest);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Bulwark.Core.Actions.Review.Search.ContentSearchIndex.PostgresOffIngestDown);

            migrationBuilder.CreateTable(
                name: "research_index_gaps",
                columns: table => new
                {
                    version_id = table.Column<long>(type: "bigint", nullable: false),
                    noted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_research_index_gaps", x => x.version_id);
                });

            migrationBuilder.CreateTable(
                name: "research_index_state",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    last_version_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_research_index_state", x => x.name);
                });

            migrationBuilder.Sql(Bulwark.Core.Reports.Research.ResearchIndexer.MoveFromSharedWatermark);
            migrationBuilder.DropTable(
                name: "index_gaps");

            migrationBuilder.DropTable(
                name: "index_watermarks");
        }
    }
}
