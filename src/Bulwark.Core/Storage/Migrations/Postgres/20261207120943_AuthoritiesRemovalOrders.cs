using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Bulwark.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AuthoritiesRemovalOrders : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "competent_authorities",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    member_state = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    competences = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    contact = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    fallback = table.Column<bool>(type: "boolean", nullable: false),
                    example = table.Column<bool>(type: "boolean", nullable: false),
                    active = table.Column<bool>(type: "boolean", nullable: false),
                    note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_competent_authorities", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "removal_order_items",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    order_id = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    value = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    content_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    decision_id = table.Column<long>(type: "bigint", nullable: true),
                    matched_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    executed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    reinstated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_removal_order_items", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "removal_orders",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    reference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    authority_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    member_state = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    issued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    received_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ground = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    legal_basis = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    reasons = table.Column<string>(type: "text", nullable: false),
                    defer_informing_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    cross_border = table.Column<bool>(type: "boolean", nullable: false),
                    feedback_contact = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    needs_confirmation = table.Column<bool>(type: "boolean", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    executed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    confirmed_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    alerted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    breached_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    breach_cause = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    feedback_json = table.Column<string>(type: "text", nullable: true),
                    feedback_sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    feedback_delivery = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    impossible_ground = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    impossible_reasons = table.Column<string>(type: "text", nullable: true),
                    annex_i_i_i_json = table.Column<string>(type: "text", nullable: true),
                    annex_i_i_i_sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    annex_i_i_i_delivery = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    provider_informed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    scrutiny_outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    scrutiny_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    scrutiny_note = table.Column<string>(type: "text", nullable: true),
                    scrutiny_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    reinstate_due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    reinstated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    authority_informed_of_reinstatement_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_removal_orders", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_competent_authorities_member_state",
                table: "competent_authorities",
                column: "member_state");

            migrationBuilder.CreateIndex(
                name: "IX_removal_order_items_order_id",
                table: "removal_order_items",
                column: "order_id");

            migrationBuilder.CreateIndex(
                name: "IX_removal_order_items_status_content_id",
                table: "removal_order_items",
                columns: new[] { "status", "content_id" });

            migrationBuilder.CreateIndex(
                name: "IX_removal_orders_authority_id_reference",
                table: "removal_orders",
                columns: new[] { "authority_id", "reference" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_removal_orders_received_at",
                table: "removal_orders",
                column: "received_at");

            migrationBuilder.CreateIndex(
                name: "IX_removal_orders_status_due_at",
                table: "removal_orders",
                columns: new[] { "status", "due_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "competent_authorities");

            migrationBuilder.DropTable(
                name: "removal_order_items");

            migrationBuilder.DropTable(
                name: "removal_orders");
        }
    }
}
