"""Pages of the wider partnership self-assessment: an agency's own (`agency`), those of the coordinator and the
audit lead (`oversight`), and the framework editor (`framework`)."""
