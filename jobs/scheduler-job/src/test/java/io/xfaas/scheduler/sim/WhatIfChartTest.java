package io.xfaas.scheduler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The what-if chart is a PNG with both runs drawn in it. */
class WhatIfChartTest {
  @Test
  void drawsBothRunsDelaysAndExecutedLoad(@TempDir Path tmp) throws Exception {
    TenantFigures a0 = new TenantFigures("a", 10, 10, 0, 0, 0, 0, 0, 0, 100, 400, 100, 400, 0);
    TenantFigures a1 = new TenantFigures("a", 10, 10, 5, 0, 0, 0, 0, 0, 900, 2000, 900, 2000, 0);
    SimResult before = new SimResult(List.of(a0), 0, 10, 1000, 6, 4, List.of(6L, 4L), 2000, 1);
    SimResult after =
        new SimResult(List.of(a1), 0, 10, 1000, 3, 2, List.of(3L, 2L, 3L, 2L), 4000, 1);
    WhatIfReport report = new WhatIfReport("test", List.of("a.rate=5"), before, after);
    Path png = tmp.resolve("whatif.png");

    WhatIfChart.write(png, report, 0);

    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isEqualTo(1200);
    boolean blue = false, orange = false;
    for (int x = 0; x < img.getWidth(); x++) {
      for (int y = 0; y < img.getHeight(); y++) {
        int rgb = img.getRGB(x, y) & 0xffffff;
        blue |= rgb == 0x1f77b4;
        orange |= rgb == 0xff7f0e;
      }
    }
    assertThat(blue).as("the recorded run").isTrue();
    assertThat(orange).as("the changed run").isTrue();
  }
}
