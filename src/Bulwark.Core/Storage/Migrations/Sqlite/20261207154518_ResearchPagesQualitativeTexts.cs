using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bulwark.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ResearchPagesQualitativeTexts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "research_search_pages",
                columns: table => new
                {
                    search_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    cursor = table.Column<int>(type: "INTEGER", nullable: false),
                    order_value = table.Column<long>(type: "INTEGER", nullable: false),
                    key_value = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_research_search_pages", x => new { x.search_id, x.cursor });
                });

            migrationBuilder.CreateTable(
                name: "transparency_qualitative_texts",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    period_start = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    period_end = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    text = table.Column<string>(type: "TEXT", nullable: false),
                    updated_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_transparency_qualitative_texts", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_transparency_qualitative_texts_period_start_period_end_key",
                table: "transparency_qualitative_texts",
                columns: new[] { "period_start", "period_end", "key" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "research_search_pages");

            migrationBuilder.DropTable(
                name: "transparency_qualitative_texts");
        }
    }
}
