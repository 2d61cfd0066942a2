using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Bulwark.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EntityRegistry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "designated_entities",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    primary_name = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    tier = table.Column<string>(type: "character varying(48)", maxLength: 48, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ideology = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    region_scope = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    notes = table.Column<string>(type: "text", nullable: true),
                    evidence_json = table.Column<string>(type: "text", nullable: false),
                    origin = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status_changed_by = table.Column<string>(type: "text", nullable: true),
                    status_changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    status_reason = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_designated_entities", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "list_import_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    source = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    file_name = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    file_sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    file_bytes = table.Column<long>(type: "bigint", nullable: false),
                    records = table.Column<int>(type: "integer", nullable: false),
                    added = table.Column<int>(type: "integer", nullable: false),
                    changed = table.Column<int>(type: "integer", nullable: false),
                    delisted = table.Column<int>(type: "integer", nullable: false),
                    unchanged = table.Column<int>(type: "integer", nullable: false),
                    previous_count = table.Column<int>(type: "integer", nullable: false),
                    forced = table.Column<bool>(type: "boolean", nullable: false),
                    refusal = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    problem = table.Column<string>(type: "text", nullable: true),
                    diff_json = table.Column<string>(type: "text", nullable: false),
                    actor = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_list_import_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "designated_entity_listings",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    entity_id = table.Column<long>(type: "bigint", nullable: false),
                    source = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    source_key = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    list_type = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    reference_number = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    listed_on = table.Column<DateOnly>(type: "date", nullable: true),
                    active = table.Column<bool>(type: "boolean", nullable: false),
                    delisted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_import_run_id = table.Column<long>(type: "bigint", nullable: true),
                    record_json = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_designated_entity_listings", x => x.id);
                    table.ForeignKey(
                        name: "FK_designated_entity_listings_designated_entities_entity_id",
                        column: x => x.entity_id,
                        principalTable: "designated_entities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "designated_entity_terms",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    entity_id = table.Column<long>(type: "bigint", nullable: false),
                    type = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    value = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    grade = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    origin = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_designated_entity_terms", x => x.id);
                    table.ForeignKey(
                        name: "FK_designated_entity_terms_designated_entities_entity_id",
                        column: x => x.entity_id,
                        principalTable: "designated_entities",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_designated_entities_status",
                table: "designated_entities",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "IX_designated_entities_updated_at",
                table: "designated_entities",
                column: "updated_at");

            migrationBuilder.CreateIndex(
                name: "IX_designated_entity_listings_entity_id",
                table: "designated_entity_listings",
                column: "entity_id");

            migrationBuilder.CreateIndex(
                name: "IX_designated_entity_listings_source_source_key",
                table: "designated_entity_listings",
                columns: new[] { "source", "source_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_designated_entity_terms_entity_id",
                table: "designated_entity_terms",
                column: "entity_id");

            migrationBuilder.CreateIndex(
                name: "IX_list_import_runs_source_id",
                table: "list_import_runs",
                columns: new[] { "source", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "designated_entity_listings");

            migrationBuilder.DropTable(
                name: "designated_entity_terms");

            migrationBuilder.DropTable(
                name: "list_import_runs");

            migrationBuilder.DropTable(
                name: "designated_entities");
        }
    }
}
