package io.ringkv.storage;

class MemoryEngineTest extends StorageEngineContractTest {

  @Override
  protected StorageEngine open() {
    return new MemoryEngine();
  }
}
