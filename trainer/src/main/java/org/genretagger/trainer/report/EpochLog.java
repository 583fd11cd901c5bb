package org.genretagger.trainer.report;

/**
 * One line of the training log: what one epoch cost and how the model stood after it.
 *
 * <p>Accuracies are fractions in [0, 1]. {@code validLoss} is {@link Double#NaN} when the
 * trainer did not compute it. The record is Gson-friendly (Gson 2.10+ serialises records by
 * their components), but note that Gson refuses NaN unless the builder calls
 * {@code serializeSpecialFloatingPointValues()}; use that when writing logs with a missing
 * validation loss.
 *
 * @param epoch          1-based epoch number
 * @param trainLoss      mean training loss over the epoch's batches
 * @param trainWindowAcc training accuracy per window (the unit the network sees)
 * @param validWindowAcc validation accuracy per window
 * @param validTrackAcc  validation accuracy per track (windows aggregated, the unit a user sees)
 * @param validLoss      mean validation loss, NaN if absent
 * @param learningRate   learning rate used during the epoch
 * @param elapsedSeconds wall-clock seconds spent on the epoch
 */
public record EpochLog(int epoch, double trainLoss, double trainWindowAcc, double validWindowAcc,
                       double validTrackAcc, double validLoss, double learningRate,
                       double elapsedSeconds) {

    /** True when a validation loss was recorded for this epoch. */
    public boolean hasValidLoss() {
        return Double.isFinite(validLoss);
    }
}
