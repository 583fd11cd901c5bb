/**
 * Retag plans: {@link org.genretagger.plugin.plan.RetagPlan} writes a dry run's intended changes as
 * CSV or JSON and reads an edited plan back (checking it whole first), and
 * {@link org.genretagger.plugin.plan.PlanJob} writes exactly its rows through the file-safety core
 * and the journal, as a retag run would.
 */
package org.genretagger.plugin.plan;
