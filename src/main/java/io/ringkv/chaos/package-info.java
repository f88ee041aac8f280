/**
 * The pure side of {@code ringkv chaos}: the history of a run (what each client sent and saw), the
 * checker that judges it after healing (nothing acknowledged lost, no value that was never written,
 * every replica agreeing), and the seeded fault schedule. No Vert.x, no I/O, no clock: the driver
 * in {@code io.ringkv.cli} runs the processes, sends the requests and feeds this package what it saw.
 */
package io.ringkv.chaos;
