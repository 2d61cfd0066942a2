using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bulwark.Core.Storage.Migrations.Sqlite
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
                    id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    member_state = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    competences = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    contact = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    fallback = table.Column<bool>(type: "INTEGER", nullable: false),
                    example = table.Column<bool>(type: "INTEGER", nullable: false),
                    active = table.Column<bool>(type: "INTEGER", nullable: false),
                    note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_competent_authorities", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "removal_order_items",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    order_id = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    value = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    content_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    decision_id = table.Column<long>(type: "INTEGER", nullable: true),
                    matched_at = table.Column<long>(type: "INTEGER", nullable: true),
                    executed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    reinstated_at = table.Column<long>(type: "INTEGER", nullable: true),
                    note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_removal_order_items", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "removal_orders",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    reference = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    authority_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    member_state = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    issued_at = table.Column<long>(type: "INTEGER", nullable: false),
                    received_at = table.Column<long>(type: "INTEGER", nullable: false),
                    due_at = table.Column<long>(type: "INTEGER", nullable: false),
                    received_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ground = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    legal_basis = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    reasons = table.Column<string>(type: "TEXT", nullable: false),
                    defer_informing_until = table.Column<long>(type: "INTEGER", nullable: true),
                    cross_border = table.Column<bool>(type: "INTEGER", nullable: false),
                    feedback_contact = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    needs_confirmation = table.Column<bool>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    executed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    confirmed_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    alerted_at = table.Column<long>(type: "INTEGER", nullable: true),
                    breached_at = table.Column<long>(type: "INTEGER", nullable: true),
                    breach_cause = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    feedback_json = table.Column<string>(type: "TEXT", nullable: true),
                    feedback_sent_at = table.Column<long>(type: "INTEGER", nullable: true),
                    feedback_delivery = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    impossible_ground = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    impossible_reasons = table.Column<string>(type: "TEXT", nullable: true),
                    annex_i_i_i_json = table.Column<string>(type: "TEXT", nullable: true),
                    annex_i_i_i_sent_at = table.Column<long>(type: "INTEGER", nullable: true),
                    annex_i_i_i_delivery = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    provider_informed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    scrutiny_outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    scrutiny_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    scrutiny_note = table.Column<string>(type: "TEXT", nullable: true),
                    scrutiny_at = table.Column<long>(type: "INTEGER", nullable: true),
                    reinstate_due_at = table.Column<long>(type: "INTEGER", nullable: true),
                    reinstated_at = table.Column<long>(type: "INTEGER", nullable: true),
                    authority_informed_of_reinstatement_at = table.Column<long>(type: "INTEGER", nullable: true)
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
