using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bulwark.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ResearchSearchExpiryIndexGaps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "created_at",
                table: "research_search_pages",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

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

            migrationBuilder.CreateIndex(
                name: "IX_research_search_pages_created_at",
                table: "research_search_pages",
                column: "created_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "research_index_gaps");

            migrationBuilder.DropIndex(
                name: "IX_research_search_pages_created_at",
                table: "research_search_pages");

            migrationBuilder.DropColumn(
                name: "created_at",
                table: "research_search_pages");
        }
    }
}
