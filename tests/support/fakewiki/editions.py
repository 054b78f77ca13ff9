"""Other Wikipedia editions for the fake wiki: a few cities in German, French, Spanish and
Italian, each written for these tests (not taken from Wikipedia).

Each article is shaped like its edition's extracts: a lead, then the edition's usual
headings. Transport and economy sit under the headings the language uses ("Verkehr",
"Wirtschaft", "Transports", "Économie", "Transporte", "Economía"), and History and
Climate sections mention ports, trains and roads too, so a test can tell whether the
analysis reads the right sections. The Italian city is there for a language citybrief
has no profile for. No page has an infobox with English labels, as on those editions.
"""

from __future__ import annotations

from .pages import Page

GERMAN = [
    Page(
        "Hamburg",
        """Hamburg ist eine Stadt im Norden Deutschlands und mit rund 1,9 Millionen Einwohnern die zweitgrößte Stadt des Landes. Die Stadt liegt an der Elbe, etwa 100 Kilometer von der Nordsee entfernt. Der Hamburger Hafen ist der größte Seehafen Deutschlands und einer der wichtigsten Containerhäfen Europas. Als Handels- und Medienstadt ist Hamburg ein bedeutender Wirtschaftsstandort in Nordeuropa.

== Geschichte ==
Im Mittelalter wurde Hamburg Mitglied der Hanse, und der Hafen brachte der Stadt Reichtum. Schon damals kamen Schiffe aus Flandern und dem Baltikum an die Kais der Altstadt. Am 3. Mai 1842 zerstörte ein großer Brand weite Teile der Innenstadt. Später wurde die erste Eisenbahn nach Bergedorf eröffnet, was damals als schreckliches Wagnis galt.

== Geographie ==
Hamburg liegt in der Norddeutschen Tiefebene an der Mündung der Alster in die Elbe.

=== Klima ===
Das Klima ist gemäßigt und feucht, mit milden Wintern und kühlen Sommern. Häufig zieht Nebel vom Hafen über die Stadt, und bei Sturmflut stehen Straßen am Fischmarkt unter Wasser. Im Winter legen die Fähren im Hafen bei Eisgang seltener ab.

== Wirtschaft ==
Die Wirtschaft der Stadt ist vom Handel, von der Logistik und von der Luftfahrtindustrie geprägt. Im Hafen werden jährlich rund acht Millionen Standardcontainer (TEU) umgeschlagen. Viele Reedereien und Speditionen haben ihren Sitz in der Stadt, z. B. in der Speicherstadt bzw. in der HafenCity. Im Stadtteil Finkenwerder fertigt ein Flugzeughersteller Flugzeuge der Mittelstreckenklasse.

== Verkehr ==
Hamburg ist ein wichtiger Verkehrsknoten für Norddeutschland und Skandinavien.

=== Hafen und Schifffahrt ===
Der Hafen erstreckt sich über eine Fläche von mehr als 70 Quadratkilometern an der Elbe. Containerschiffe erreichen ihn über die Unterelbe, die für große Schiffe regelmäßig vertieft wird. Fähren verbinden die Landungsbrücken mit Finkenwerder und anderen Stadtteilen am Ufer.

=== Schienenverkehr ===
Der Hamburger Hauptbahnhof ist einer der meistfrequentierten Bahnhöfe Deutschlands. Fernzüge fahren von dort nach Berlin, Kopenhagen und ins Ruhrgebiet. Der Rangierbahnhof Maschen südlich der Stadt ist einer der größten Güterbahnhöfe Europas.

=== Straßenverkehr ===
Die Bundesautobahn 7 quert die Elbe im Elbtunnel und ist eine der wichtigsten Nord-Süd-Achsen des Landes. Über die Autobahnen rollt ein großer Teil des Lkw-Verkehrs vom und zum Hafen.

=== Luftverkehr ===
Der Flughafen Hamburg liegt im Stadtteil Fuhlsbüttel, etwa neun Kilometer nördlich der Innenstadt. Von dort starten Flüge zu Zielen in ganz Europa.

=== Öffentlicher Nahverkehr ===
Der öffentliche Nahverkehr wird von U-Bahn, S-Bahn und Bussen getragen. Die U-Bahn-Linie Nr. 3 fährt teilweise als Hochbahn über den Hafenrand. Alle Linien gehören zum Hamburger Verkehrsverbund.

== Kultur ==
Die Elbphilharmonie ist ein wunderbares Konzerthaus am Hafen und eines der Wahrzeichen der Stadt. Auch die Musicaltheater ziehen viele Besucher an.
""",
        lat=53.55,
        lon=10.0,
        description="Stadt in Norddeutschland",
    ),
    Page(
        "Frankfurt am Main",
        """Frankfurt am Main ist die größte Stadt des Landes Hessen und mit etwa 770.000 Einwohnern die fünftgrößte Stadt Deutschlands. Die Stadt ist ein internationales Finanzzentrum und Sitz der Europäischen Zentralbank. Der Flughafen Frankfurt ist das größte Luftverkehrsdrehkreuz des Landes.

== Geschichte ==
Frankfurt war jahrhundertelang Wahlort und später Krönungsort der römisch-deutschen Könige. Die Messe hat eine lange Tradition, und Händler kamen schon im Mittelalter auf dem Main mit Schiffen in die Stadt. Im Zweiten Weltkrieg wurde die Altstadt weitgehend zerstört.

== Geographie ==
Die Stadt liegt beiderseits des Mains im Süden Hessens.

=== Klima ===
Frankfurt hat ein mildes Klima mit warmen Sommern. An heißen Tagen staut sich die Hitze über den Straßen der Innenstadt und über dem Flughafen.

== Wirtschaft und Infrastruktur ==

=== Wirtschaft ===
Frankfurt ist einer der bedeutendsten Finanzplätze Europas; zahlreiche Banken und die Börse haben hier ihren Sitz. Die Messe Frankfurt veranstaltet jedes Jahr große internationale Ausstellungen. Auch Chemie- und Logistikunternehmen sind wichtige Arbeitgeber der Region.

=== Verkehr ===
Der Flughafen Frankfurt ist nach Passagierzahlen einer der größten Flughäfen Europas und ein wichtiges Drehkreuz für Luftfracht. Von seinen Start- und Landebahnen starten täglich Flüge in alle Kontinente. Der Frankfurter Hauptbahnhof ist ein zentraler Knoten im Fernverkehr der Deutschen Bahn, und ICE-Züge verbinden die Stadt mit Köln, München und Berlin. Das Frankfurter Kreuz, an dem sich die Autobahnen A 3 und A 5 treffen, ist eines der verkehrsreichsten Autobahnkreuze Deutschlands. Im Osthafen werden Massengüter von Binnenschiffen auf Lkw und Bahn umgeschlagen. Innerhalb der Stadt fahren S-Bahn, U-Bahn und Straßenbahn, ergänzt durch zahlreiche Buslinien.

== Kultur ==
Das Städel ist ein herrliches Kunstmuseum am Museumsufer des Mains.
""",
        lat=50.11,
        lon=8.68,
        description="Größte Stadt in Hessen",
    ),
    Page(
        "Leipzig",
        """Leipzig ist mit rund 600.000 Einwohnern die größte Stadt im Freistaat Sachsen. Die Stadt ist bekannt für ihre Messe, ihre Musiktradition und die Friedliche Revolution von 1989. Leipzig ist heute ein wichtiger Standort für Logistik und Automobilbau.

== Geschichte ==
Leipzig entwickelte sich im Mittelalter an der Kreuzung zweier Handelsstraßen, der Via Regia und der Via Imperii. Am 24. April 1839 wurde die Eisenbahn nach Dresden vollständig eröffnet, eine der ersten Fernbahnen Deutschlands. Im Herbst 1989 zogen Tausende über den Ring.

== Klima ==
Das Klima ist kontinental geprägt, mit kalten Wintern und warmen Sommern. Bei Frost sind Straßen und Gleise manchmal vereist.

== Wirtschaft ==
Zwei Automobilhersteller betreiben Werke im Norden der Stadt. Ein großer Paketdienst hat am Flughafen sein europäisches Drehkreuz für Luftfracht errichtet, bzw. ausgebaut. Die Leipziger Messe zieht jedes Jahr zahlreiche Aussteller an.

== Verkehr ==

=== Luftverkehr ===
Der Flughafen Leipzig/Halle liegt rund 20 Kilometer nordwestlich der Stadt. Nachts starten dort viele Frachtflugzeuge, und der Flughafen gehört zu den größten Frachtflughäfen Europas.

=== Schienenverkehr ===
Der Leipziger Hauptbahnhof ist einer der größten Kopfbahnhöfe Europas. Durch den City-Tunnel fahren die Züge der S-Bahn Mitteldeutschland unter der Innenstadt hindurch.

=== Straßenverkehr ===
Die Autobahnen A 9, A 14 und A 38 bilden einen Ring um die Stadt. Über sie erreicht der Lkw-Verkehr die Logistikzentren im Norden.

=== Nahverkehr ===
Das Straßenbahnnetz ist eines der größten in Deutschland. Ergänzt wird es durch Buslinien in die Randgebiete.
""",
        lat=51.34,
        lon=12.37,
        description="Größte Stadt in Sachsen",
    ),
]

FRENCH = [
    Page(
        "Marseille",
        """Marseille est une ville du sud-est de la France, au bord de la Méditerranée. Avec environ 870 000 habitants, c'est la deuxième commune de France par sa population. Son port est le premier port de France et l'un des principaux ports de la Méditerranée. La ville est un centre important du commerce et de la logistique.

== Histoire ==
Marseille a été fondée vers 600 av. J.-C. par des marins grecs venus de Phocée. Le Vieux-Port a longtemps accueilli les navires marchands de toute la Méditerranée. Au XIXe siècle, l'arrivée du chemin de fer a transformé la ville.

== Géographie ==
La ville s'étend autour d'une rade entourée de collines calcaires.

=== Climat ===
Le climat est méditerranéen, avec des étés chauds et secs. Le mistral souffle souvent sur le port et les navires restent parfois à quai lors des tempêtes.

== Économie ==
L'économie marseillaise repose sur le port, l'industrie et les services. Les activités portuaires emploient des milliers de personnes dans les terminaux de Fos-sur-Mer et de la ville. Le tourisme de croisière est en forte croissance, et la ville est une excellente destination pour les visiteurs.

== Transports ==

=== Transport maritime ===
Le Grand port maritime de Marseille traite chaque année des millions de tonnes de marchandises, notamment des hydrocarbures et des conteneurs. Des ferries relient la ville à la Corse, à la Sardaigne et à l'Afrique du Nord.

=== Transport aérien ===
L'aéroport Marseille-Provence est situé à Marignane, à environ 25 km au nord-ouest de la ville. Il propose des vols vers de nombreuses villes d'Europe et du Maghreb.

=== Transport ferroviaire ===
La gare Saint-Charles est desservie par le TGV, qui relie Marseille à Paris en un peu plus de trois heures. Des trains régionaux desservent Toulon, Aix-en-Provence et Avignon.

=== Réseau routier ===
Plusieurs autoroutes, dont l'A7 et l'A50, relient la ville au reste du pays. Les camions du port empruntent surtout l'autoroute vers Fos-sur-Mer.

=== Transports en commun ===
La ville dispose de deux lignes de métro, de plusieurs lignes de tramway et d'un vaste réseau de bus. Les transports en commun sont exploités par la régie des transports métropolitains.

== Culture ==
Le Mucem est un musée magnifique situé à l'entrée du Vieux-Port.
""",
        lat=43.2965,
        lon=5.3698,
        description="Ville du sud-est de la France",
    ),
    Page(
        "Lyon",
        """Lyon est une ville française située au confluent du Rhône et de la Saône. Elle compte environ 520 000 habitants et sa métropole est la deuxième de France. Lyon est un grand centre économique, industriel et universitaire.

== Histoire ==
Fondée en 43 av. J.-C. sous le nom de Lugdunum, la ville fut la capitale des Gaules. Au XVIe siècle, les marchands italiens et les foires firent sa fortune. Les bateaux remontaient alors la Saône chargés de marchandises.

== Géographie ==

=== Climat ===
Le climat est semi-continental, avec des hivers froids et des étés chauds. Le brouillard recouvre souvent les quais et les routes en automne.

== Économie ==
L'économie lyonnaise est diversifiée : chimie, pharmacie, biotechnologies et services. La ville accueille le siège de nombreuses entreprises et d'organisations internationales. Le port Édouard-Herriot est une importante plate-forme logistique au sud de la ville.

== Transports ==
L'aéroport Lyon-Saint-Exupéry, situé à l'est de la ville, propose des vols vers l'Europe et l'Afrique du Nord. La gare de la Part-Dieu est l'une des plus fréquentées de France, desservie par le TGV et par des trains régionaux. Lyon est un nœud autoroutier majeur où se croisent l'A6, l'A7 et l'A43, et le trafic des poids lourds y est très dense. Sur le Rhône, des péniches transportent des conteneurs jusqu'au port Édouard-Herriot. Le réseau de transports en commun comprend quatre lignes de métro, plusieurs lignes de tramway, deux funiculaires et de nombreuses lignes de bus.

== Culture ==
Le Vieux Lyon est un superbe quartier Renaissance inscrit au patrimoine mondial.
""",
        lat=45.764,
        lon=4.8357,
        description="Ville française au confluent du Rhône et de la Saône",
    ),
    Page(
        "Lille",
        """Lille est une ville du nord de la France, préfecture de la région Hauts-de-France. Elle compte environ 235 000 habitants et sa métropole plus d'un million. Grâce à sa position entre Paris, Londres et Bruxelles, Lille est un carrefour européen.

== Histoire ==
Lille fut une ville drapière prospère au Moyen Âge. Au XIXe siècle, les filatures et les usines textiles firent de la ville un grand centre industriel, relié par canal et par chemin de fer aux ports du nord.

== Climat ==
Le climat est océanique, avec des pluies fréquentes en toute saison. Les hivers humides rendent parfois les routes glissantes.

== Économie ==
Après le déclin du textile, l'économie s'est tournée vers le commerce, la vente à distance et les services. Le quartier d'affaires Euralille accueille des sièges d'entreprises et un grand centre commercial.

== Transports ==

=== Transport ferroviaire ===
La gare Lille-Europe est desservie par l'Eurostar vers Londres et par des TGV vers Paris et Bruxelles. La gare Lille-Flandres accueille les trains régionaux.

=== Transport aérien ===
L'aéroport de Lille-Lesquin, au sud-est de la ville, assure des vols vers le sud de l'Europe.

=== Transport routier ===
Lille est au croisement des autoroutes A1, A22, A23, A25 et A27, et le trafic des camions vers la Belgique y est important.

=== Transports en commun ===
Le métro de Lille a été l'un des premiers métros automatiques du monde. Il est complété par deux lignes de tramway et par un réseau de bus.
""",
        lat=50.6292,
        lon=3.0573,
        description="Ville du nord de la France",
    ),
]

SPANISH = [
    Page(
        "Valencia",
        """Valencia es una ciudad de España, capital de la provincia y de la Comunidad Valenciana. Con unos 800 000 habitantes, es la tercera ciudad más poblada del país. Su puerto es uno de los principales puertos de contenedores del mar Mediterráneo. La ciudad es un centro importante del comercio y la logística.

== Historia ==
Valencia fue fundada por los romanos en el año 138 a. C. con el nombre de Valentia. En la Edad Media, los barcos del puerto comerciaban con Italia y el norte de África. En el siglo XIX llegó el ferrocarril a la ciudad.

== Geografía ==
La ciudad se sitúa en la llanura aluvial del río Turia, junto a la Albufera.

=== Clima ===
El clima es mediterráneo, con inviernos suaves y veranos calurosos. En otoño, las lluvias torrenciales pueden inundar las carreteras y detener los trenes.

== Economía ==
La economía de Valencia se basa en los servicios, el comercio y la actividad portuaria. El puerto mueve cada año más de cinco millones de contenedores (TEU). Muchas empresas de logística se han instalado en los polígonos cercanos al puerto.

== Transporte ==

=== Puerto ===
El puerto de Valencia tiene conexiones marítimas regulares con puertos de todo el mundo. Los ferris enlazan la ciudad con las islas Baleares.

=== Aeropuerto ===
El aeropuerto de Valencia está situado en Manises, a unos 8 km del centro. Ofrece vuelos a numerosas ciudades de Europa.

=== Ferrocarril ===
La estación Joaquín Sorolla recibe los trenes de alta velocidad AVE procedentes de Madrid. Los trenes de cercanías unen la ciudad con su área metropolitana.

=== Carreteras ===
La autovía A-3 une Valencia con Madrid, y la autopista AP-7 recorre la costa mediterránea. Por estas carreteras circulan a diario miles de camiones hacia el puerto.

=== Transporte urbano ===
La red de metro y tranvía llega a los municipios del área metropolitana. Las líneas de autobús urbano cubren toda la ciudad.

== Cultura ==
La Ciudad de las Artes y las Ciencias es un conjunto arquitectónico espectacular.
""",
        lat=39.4699,
        lon=-0.3763,
        description="Ciudad de España",
    ),
    Page(
        "Sevilla",
        """Sevilla es una ciudad del sur de España, capital de Andalucía. Tiene unos 680 000 habitantes y es la cuarta ciudad más poblada del país. Es la única ciudad española con un puerto interior, situado a orillas del Guadalquivir.

== Historia ==
Tras el descubrimiento de América, Sevilla tuvo el monopolio del comercio con las Indias. Los galeones salían del puerto cargados de mercancías y volvían con plata. En 1992 la ciudad acogió la Exposición Universal, y el Sr. alcalde inauguró la primera línea de tren de alta velocidad.

== Clima ==
El clima es mediterráneo con influencia continental, y los veranos son muy calurosos. En agosto el calor es terrible y el tráfico en las carreteras disminuye.

== Economía ==
La economía sevillana se apoya en los servicios, el turismo y la industria aeronáutica. En el aeropuerto y en el parque tecnológico se fabrican piezas de aviones para empresas europeas.

== Transporte ==
El aeropuerto de Sevilla, a unos 10 km del centro, tiene vuelos nacionales e internacionales. La estación de Santa Justa es la terminal de los trenes AVE de la línea Madrid-Sevilla. El puerto de Sevilla recibe buques de carga por el Guadalquivir. La ciudad está conectada con la red de autovías por la A-4 y la A-49. La red de transporte urbano incluye una línea de metro, un tranvía en el centro y numerosas líneas de autobús.
""",
        lat=37.3891,
        lon=-5.9845,
        description="Ciudad de España, capital de Andalucía",
    ),
    Page(
        "Bilbao",
        """Bilbao es una ciudad del norte de España, capital de la provincia de Vizcaya. Tiene unos 345 000 habitantes y su área metropolitana casi un millón. La ciudad es un centro financiero e industrial del País Vasco.

== Historia ==
Bilbao fue fundada en el año 1300 como villa comercial junto a la ría. Durante siglos, sus barcos llevaron lana y hierro a los puertos del norte de Europa. En el siglo XIX los altos hornos y los astilleros transformaron la ciudad.

== Clima ==
El clima es oceánico, con lluvias frecuentes. La niebla cubre a menudo la ría y retrasa la salida de los barcos.

== Economía ==
Tras la crisis industrial, la economía se orientó hacia los servicios, las finanzas y el turismo. El Puerto de Bilbao sigue siendo uno de los puertos con más tráfico de mercancías del Cantábrico. Muchas empresas financieras tienen su sede en la Avda. Abandoibarra, junto a la ría.

== Transporte ==

=== Transporte marítimo ===
El puerto exterior, en la desembocadura de la ría, recibe buques portacontenedores y petroleros. Un ferry une el puerto con Portsmouth, en el Reino Unido.

=== Transporte aéreo ===
El aeropuerto de Bilbao, en Loiu, ofrece vuelos a las principales ciudades de Europa.

=== Transporte ferroviario ===
La estación de Abando es el principal nudo ferroviario, con trenes de larga distancia y de cercanías.

=== Carreteras ===
La autopista AP-8 une Bilbao con San Sebastián y Francia, y la A-8 con Santander.

=== Transporte urbano ===
El metro de Bilbao tiene dos líneas a ambas orillas de la ría. Lo completan el tranvía, los autobuses urbanos y un funicular.
""",
        lat=43.263,
        lon=-2.935,
        description="Ciudad de España",
    ),
]

ITALIAN = [
    Page(
        "Genova",
        """Genova è una città dell'Italia nord-occidentale, capoluogo della Liguria. Con circa 560 000 abitanti è il sesto comune italiano per popolazione. Il suo porto è uno dei più importanti del Mar Mediterraneo. La città è un centro industriale e commerciale.

== Storia ==
Nel Medioevo Genova fu una potente repubblica marinara. Le sue navi commerciavano in tutto il Mediterraneo e nel Mar Nero.

== Clima ==
Il clima è mediterraneo, con inverni miti ed estati calde.

== Economia ==
L'economia si basa sul porto, sulla cantieristica e sui servizi. Il porto movimenta ogni anno milioni di tonnellate di merci.

== Trasporti ==
L'aeroporto di Genova si trova a ovest del centro, su una penisola artificiale. La stazione di Genova Piazza Principe è servita da treni regionali e a lunga percorrenza. La città è collegata alla rete autostradale dalle autostrade A7, A10, A12 e A26. Il trasporto pubblico comprende una linea di metropolitana, autobus e funicolari.
""",
        lat=44.4072,
        lon=8.934,
        description="Città dell'Italia nord-occidentale",
    ),
]

# Language code -> that edition's pages.
EDITIONS: dict[str, list[Page]] = {
    "de": GERMAN,
    "fr": FRENCH,
    "es": SPANISH,
    "it": ITALIAN,
}
